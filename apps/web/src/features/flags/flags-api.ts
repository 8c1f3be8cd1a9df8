import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { flagEndpoints, type BodyOf } from '@qadaga/contracts/api';
import { api } from '../../api/client.js';
import { call } from '../../api/call.js';
import type { RuleSummary } from '../../api/types.js';

export interface FlagQuery {
  rule?: string;
  severity?: string;
  status?: string;
  unit?: string;
  district?: string;
  subject?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export function useFlags(query: FlagQuery) {
  return useQuery({
    queryKey: ['flags', query],
    queryFn: () => call(flagEndpoints.list, { query }),
    placeholderData: (previous) => previous,
  });
}

export function useFlag(id: string) {
  return useQuery({ queryKey: ['flag', id], queryFn: () => call(flagEndpoints.get, { params: { id } }) });
}

export function useRules() {
  return useQuery({
    queryKey: ['rules'],
    queryFn: async () => {
      const body = await api<RuleSummary[] | { items: RuleSummary[] }>('/v1/rules');
      return Array.isArray(body) ? body : body.items;
    },
  });
}

export function useSetFlagStatus(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof flagEndpoints.setStatus>) => call(flagEndpoints.setStatus, { params: { id }, body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['flag', id] });
      void client.invalidateQueries({ queryKey: ['flags'] });
    },
  });
}

export function useBulkStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof flagEndpoints.bulkStatus>) => call(flagEndpoints.bulkStatus, { body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['flags'] }),
  });
}
