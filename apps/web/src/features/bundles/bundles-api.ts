import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { evidenceEndpoints, referenceEndpoints, type BodyOf } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';

/** Bundles newest first (of one case when given); polled while one is still being built. */
export function useBundleList(query: { case?: string; limit: number; offset: number }) {
  return useQuery({
    queryKey: ['bundles', query],
    queryFn: () => call(evidenceEndpoints.list, { query }),
    refetchInterval: (q) => (q.state.data?.items.some((b) => b.status === 'queued' || b.status === 'running') === true ? 1_000 : false),
  });
}

/** The officer roster and the units, for the export's subject pickers. */
export function useRoster() {
  return useQuery({ queryKey: ['roster'], queryFn: () => call(referenceEndpoints.roster), staleTime: 5 * 60_000 });
}

export function useStartQueryBundle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof evidenceEndpoints.forQuery>) => call(evidenceEndpoints.forQuery, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['bundles'] }),
  });
}
