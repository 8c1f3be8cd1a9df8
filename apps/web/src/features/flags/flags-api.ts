import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { flagEndpoints, ruleEndpoints, type BodyOf } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';

export interface FlagQuery {
  rule?: string;
  severity?: string;
  status?: string;
  unit?: string;
  district?: string;
  camera?: string;
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
    queryFn: () => call(ruleEndpoints.list),
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
