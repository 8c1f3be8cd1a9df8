import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { Flag, FlagDetail, FlagPage, FlagStatus, RuleSummary } from '../../api/types.js';

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

/** The list answers {flags, total, totalExact}. */
function pageOf(body: { flags: Flag[]; total: number; totalExact: boolean }): FlagPage {
  return { items: body.flags, total: body.total, totalExact: body.totalExact };
}

export function useFlags(query: FlagQuery) {
  return useQuery({
    queryKey: ['flags', query],
    queryFn: async () => pageOf(await api<{ flags: Flag[]; total: number; totalExact: boolean }>('/v1/flags', { query: { ...query } })),
    placeholderData: (previous) => previous,
  });
}

export function useFlag(id: string) {
  return useQuery({ queryKey: ['flag', id], queryFn: () => api<FlagDetail>(`/v1/flags/${encodeURIComponent(id)}`) });
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
    mutationFn: (body: { status: FlagStatus; reason: string }) => api<Flag>(`/v1/flags/${encodeURIComponent(id)}/status`, { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['flag', id] });
      void client.invalidateQueries({ queryKey: ['flags'] });
    },
  });
}

export function useBulkStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { ids: string[]; status: FlagStatus; reason: string }) => api<{ updated: number }>('/v1/flags/bulk-status', { body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['flags'] }),
  });
}
