import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { BacktestResult, RuleDefinition, RuleVersion } from '../../api/types.js';

export function useRuleVersions(id: string) {
  return useQuery({ queryKey: ['rule', id], queryFn: () => api<RuleVersion[]>(`/v1/rules/${encodeURIComponent(id)}`) });
}

export function useBacktest(definition: RuleDefinition | null, range: { from: string; to: string }) {
  return useQuery({
    queryKey: ['backtest', definition, range],
    enabled: definition !== null,
    queryFn: () => api<BacktestResult>('/v1/rules/backtest', { body: { definition, ...range } }),
    // The last answer stays on screen while the next one is computed: the chart moves instead of blinking.
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
}

export function useRuleStep(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (step: { kind: 'draft'; definition: RuleDefinition } | { kind: 'submit' | 'approve' | 'publish'; version: number }) =>
      step.kind === 'draft'
        ? api<RuleVersion>(`/v1/rules/${encodeURIComponent(id)}/draft`, { method: 'PUT', body: { definition: step.definition } })
        : api<RuleVersion>(`/v1/rules/${encodeURIComponent(id)}/versions/${step.version}/${step.kind}`, { method: 'POST' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['rule', id] });
      void client.invalidateQueries({ queryKey: ['rules'] });
    },
  });
}
