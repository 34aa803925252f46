/** Small roster texts shared by the roster tests. */
export const FLOOR_ROSTER = `# my fleet — keep this comment
version: 2
tmux:
  socket_name: test-sock # inline comment
agents:
  - name: orchestrator
    runtime: claude
    class: orchestrator
  # the enhancer keeps tooling sharp
  - name: enhancer
    runtime: claude
    class: enhancer
  - name: coder0
    runtime: pi
    class: implementer
    model_hint: openai/gpt
`;
