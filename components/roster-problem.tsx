/** What is wrong with roster.yaml, shown where a page would otherwise fail to render. */
import type { RosterProblem } from '../lib/web/roster-problem';
import { Panel } from './ui';

export function RosterProblemNote({ problem }: { problem: RosterProblem }) {
  const title = problem.code === 'ROSTER_MISSING' ? 'No roster' : 'The roster is invalid';
  return (
    <Panel title={title}>
      <div data-testid="roster-problem" className="space-y-2 text-sm">
        <p className="text-slate-600">
          Fix the file, then reload this page. <code>fleet roster validate</code> shows the same.
        </p>
        <pre className="overflow-x-auto rounded-md bg-rose-50 p-3 font-mono text-xs whitespace-pre-wrap text-rose-900">
          {problem.lines.length ? problem.lines.join('\n') : problem.message}
        </pre>
      </div>
    </Panel>
  );
}
