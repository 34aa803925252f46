/** Card DAGs for race tests and benchmarks. */

/** A small deterministic PRNG, so a failing DAG can be reproduced. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `layers` × `width` cards; each card past the first layer depends on 1–2 earlier cards. */
export function buildDag(
  layers: number,
  width: number,
  seed = 42,
): { id: string; deps: string[] }[][] {
  const rand = prng(seed);
  const out: { id: string; deps: string[] }[][] = [];
  const earlier: string[] = [];
  for (let l = 0; l < layers; l++) {
    const layer = [];
    for (let i = 0; i < width; i++) {
      const id = `L${l}-${i}`;
      const deps = new Set<string>();
      if (l > 0) {
        const n = 1 + Math.floor(rand() * 2);
        for (let k = 0; k < n; k++) deps.add(earlier[Math.floor(rand() * earlier.length)]!);
      }
      layer.push({ id, deps: [...deps] });
    }
    earlier.push(...layer.map((c) => c.id));
    out.push(layer);
  }
  return out;
}
