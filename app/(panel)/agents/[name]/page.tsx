import { notFound } from 'next/navigation';
import { AgentView } from '@/components/agent/agent-view';
import { RosterProblemNote } from '@/components/roster-problem';
import { isAgentName } from '@/lib/names';
import { errorInfo } from '@/lib/web/errors';
import { rosterProblem } from '@/lib/web/roster-problem';
import { getWebServices } from '@/lib/web/services';
import { requirePageUser } from '@/lib/web/session';

export const dynamic = 'force-dynamic';

export default async function AgentPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  await requirePageUser(`/agents/${encodeURIComponent(name)}`);
  if (!isAgentName(name)) notFound();
  try {
    return <AgentView initial={await getWebServices().fleet.agent(name)} />;
  } catch (e) {
    if (errorInfo(e)?.code === 'AGENT_NOT_FOUND') notFound();
    const problem = rosterProblem(e);
    if (problem) return <RosterProblemNote problem={problem} />;
    throw e;
  }
}
