import { FleetError } from '../errors.js';

/** Typed backlog errors; the API maps their codes to HTTP statuses, the CLI to exit codes. */
export class CardNotFound extends FleetError {
  readonly ids: string[];
  constructor(ids: string | string[]) {
    const list = Array.isArray(ids) ? ids : [ids];
    super('NOT_FOUND', `no card ${list.map((i) => `"${i}"`).join(', ')}`);
    this.ids = list;
  }
}

export class CardExists extends FleetError {
  readonly id: string;
  constructor(id: string) {
    super(
      'CONFLICT',
      `card "${id}" already exists (use an idempotency key to make create repeatable)`,
    );
    this.id = id;
  }
}

/** The caller does not hold the current claim: wrong owner, old fence, or no claim at all. */
export class FenceMismatch extends FleetError {
  readonly id: string;
  constructor(
    id: string,
    offered: { owner: string; fence: number },
    current: { status: string; owner: string | null; fence: number },
  ) {
    const holder =
      current.status === 'claimed'
        ? `claimed by ${current.owner ?? '?'} with fence ${current.fence}`
        : `${current.status}, latest fence ${current.fence}`;
    super(
      'CONFLICT',
      `card "${id}" is not claimed by ${offered.owner} with fence ${offered.fence} (it is ${holder})`,
    );
    this.id = id;
  }
}

export class IllegalTransition extends FleetError {
  readonly id: string;
  constructor(id: string, message: string) {
    super('CONFLICT', `card "${id}": ${message}`);
    this.id = id;
  }
}

export class DependencyCycle extends FleetError {
  readonly cycle: string[];
  constructor(cycle: string[]) {
    super('CONFLICT', `link refused: it would create the cycle ${cycle.join(' -> ')}`);
    this.cycle = cycle;
  }
}
