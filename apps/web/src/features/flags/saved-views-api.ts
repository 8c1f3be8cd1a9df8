import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { savedViewEndpoints } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';

const KEY = ['saved-views', 'flags'];

export function useSavedViews() {
  return useQuery({ queryKey: KEY, queryFn: () => call(savedViewEndpoints.list, { query: { page: 'flags' } }) });
}

export function useSaveView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; filters: Record<string, string> }) => call(savedViewEndpoints.save, { body: { page: 'flags', ...input } }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(savedViewEndpoints.remove, { params: { id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: KEY }),
  });
}
