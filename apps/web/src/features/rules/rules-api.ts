import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { RuleDefinition, RuleVersion } from '../../api/types.js';
import { runBacktest } from './backtest-runner.js';

export function useRuleVersions(id: string) {
  return useQuery({ queryKey: ['rule', id], queryFn: () => api<RuleVersion[]>(`/v1/rules/${encodeURIComponent(id)}`) });
}

/** The preview, and how far a long range's job is (null while nothing runs as a job). */
export function useBacktest(definition: RuleDefinition | null, range: { from: string; to: string }) {
  const [jobProgress, setJobProgress] = useState<number | null>(null);
  const query = useQuery({
    queryKey: ['backtest', definition, range],
    enabled: definition !== null,
    queryFn: async ({ signal }) => {
      try {
        return await runBacktest(definition as RuleDefinition, range, { signal, onProgress: setJobProgress });
      } finally {
        setJobProgress(null);
      }
    },
    // The last answer stays on screen while the next one is computed: the chart moves instead of blinking.
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
  return { query, jobProgress };
}

export function useRuleStep(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (step: { kind: 'draft'; definition: RuleDefinition } | { kind: 'submit' | 'approve' | 'publish'; version: number }) =>
      step.kind === 'draft'
        ? api<RuleVersion>(`/v1/rules/${encodeURIComponent(id)}/draft`, { method: 'PUT', body: { definition: step.definition } })
        : api<RuleVersion>(`/v1/rules/${encodeURIComponent(id)}/versions/${step.version}/${step.kind}`, { method: 'POST' }),
    // Awaited, so the step counts as done (and says so) only once the versions shown are
    // read again: the message never stands beside a table that still shows the old state.
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['rule', id] }), client.invalidateQueries({ queryKey: ['rules'] })]),
  });
}
