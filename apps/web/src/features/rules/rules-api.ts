import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ruleEndpoints, type RuleDefinition } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { runBacktest } from './backtest-runner.js';

export function useRuleVersions(id: string) {
  return useQuery({ queryKey: ['rule', id], queryFn: () => call(ruleEndpoints.versions, { params: { id } }) });
}

/** The rule format as JSON Schema, for the editor; it changes only with a new server build. */
export function useRuleSchema() {
  return useQuery({ queryKey: ['rule-schema'], queryFn: () => call(ruleEndpoints.schema), staleTime: Number.POSITIVE_INFINITY });
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

const STEPS = { submit: ruleEndpoints.submit, approve: ruleEndpoints.approve, publish: ruleEndpoints.publish } as const;

export function useRuleStep(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (step: { kind: 'draft'; definition: RuleDefinition } | { kind: 'submit' | 'approve' | 'publish'; version: number }) =>
      step.kind === 'draft'
        ? call(ruleEndpoints.saveDraft, { params: { id }, body: { definition: step.definition } })
        : call(STEPS[step.kind], { params: { id, version: String(step.version) } }),
    // Awaited, so the step counts as done (and says so) only once the versions shown are
    // read again: the message never stands beside a table that still shows the old state.
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['rule', id] }), client.invalidateQueries({ queryKey: ['rules'] })]),
  });
}
