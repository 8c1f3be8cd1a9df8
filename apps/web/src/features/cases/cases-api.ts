import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { Bundle, CaseDetail, CaseSummary, CaseStatus, Outcome, UserSummary } from '../../api/types.js';

export function useCases(status?: string) {
  return useQuery({
    queryKey: ['cases', status ?? ''],
    queryFn: () => api<{ items: CaseSummary[]; total: number }>('/v1/cases', { query: { status } }),
  });
}

export function useCase(id: string) {
  return useQuery({ queryKey: ['case', id], queryFn: () => api<CaseDetail>(`/v1/cases/${encodeURIComponent(id)}`) });
}

export function useUsers(role: string) {
  return useQuery({ queryKey: ['users', role], queryFn: () => api<{ items: UserSummary[] }>('/v1/users', { query: { role } }) });
}

export function useCreateCase() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { title: string; flagIds: string[]; assigneeId?: string; dueAt?: string }) => api<CaseSummary>('/v1/cases', { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['flags'] });
    },
  });
}

export function useAddFlagsToCase() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ caseId, flagIds }: { caseId: string; flagIds: string[] }) => api<unknown>(`/v1/cases/${encodeURIComponent(caseId)}/flags`, { body: { flagIds } }),
    onSuccess: (_r, v) => {
      void client.invalidateQueries({ queryKey: ['case', v.caseId] });
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['flags'] });
    },
  });
}

/** Every change to a case reloads it: the timeline is the server's record, not a local guess. */
function useCaseAction<B>(id: string, path: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api<unknown>(`/v1/cases/${encodeURIComponent(id)}/${path}`, { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['case', id] });
      void client.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

export const useAddNote = (id: string) => useCaseAction<{ text: string }>(id, 'notes');
export const useAssign = (id: string) => useCaseAction<{ assigneeId: string }>(id, 'assign');
export const useCaseStatus = (id: string) => useCaseAction<{ status: Exclude<CaseStatus, 'open' | 'closed'>; reason?: string }>(id, 'status');
export const useRequestClose = (id: string) => useCaseAction<{ outcome: Outcome; reason: string }>(id, 'close-request');
export const useApproveClose = (id: string) => useCaseAction<Record<string, never>>(id, 'close-approve');
export const useRejectClose = (id: string) => useCaseAction<{ reason: string }>(id, 'close-reject');
export const useAddAttachment = (id: string) => useCaseAction<{ name: string; mediaType: string; contentBase64: string }>(id, 'attachments');

export function useStartCaseBundle(id: string) {
  return useMutation({ mutationFn: (body: { reason: string }) => api<{ id: string; status: string }>(`/v1/cases/${encodeURIComponent(id)}/bundles`, { body }) });
}

/** Polls a bundle until it is done or failed. */
export function useBundle(id: string | null) {
  return useQuery({
    queryKey: ['bundle', id],
    enabled: id !== null,
    queryFn: () => api<Bundle>(`/v1/bundles/${encodeURIComponent(id ?? '')}`),
    refetchInterval: (query) => (query.state.data?.status === 'done' || query.state.data?.status === 'failed' ? false : 700),
  });
}
