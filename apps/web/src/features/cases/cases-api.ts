import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { caseEndpoints, evidenceEndpoints, type BodyOf, type EndpointContract } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';

export function useCases(status?: string) {
  return useQuery({
    queryKey: ['cases', status ?? ''],
    queryFn: () => call(caseEndpoints.list, { query: status === undefined ? {} : { status } }),
  });
}

export function useCase(id: string) {
  return useQuery({ queryKey: ['case', id], queryFn: () => call(caseEndpoints.get, { params: { id } }) });
}

export function useCreateCase() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof caseEndpoints.open>) => call(caseEndpoints.open, { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['flags'] });
    },
  });
}

export function useAddFlagsToCase() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ caseId, flagIds }: { caseId: string; flagIds: string[] }) => call(caseEndpoints.addFlags, { params: { id: caseId }, body: { flagIds } }),
    onSuccess: (_r, v) => {
      void client.invalidateQueries({ queryKey: ['case', v.caseId] });
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['flags'] });
    },
  });
}

/** A change to one case: an endpoint of /v1/cases/{id}/… */
type CaseAction = EndpointContract & { path: `/v1/cases/{id}/${string}` };

/** Every change to a case reloads it: the timeline is the server's record, not a local guess. */
function useCaseAction<E extends CaseAction>(id: string, contract: E) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<E>) => call<CaseAction>(contract, { params: { id }, body: body as never }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['case', id] });
      void client.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

/** Approving a close takes no body: the close asked for is the one approved. */
export function useApproveClose(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call(caseEndpoints.approveClose, { params: { id } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['case', id] });
      void client.invalidateQueries({ queryKey: ['cases'] });
    },
  });
}

export const useAddNote = (id: string) => useCaseAction(id, caseEndpoints.addNote);
export const useAssign = (id: string) => useCaseAction(id, caseEndpoints.assign);
export const useCaseStatus = (id: string) => useCaseAction(id, caseEndpoints.status);
export const useRequestClose = (id: string) => useCaseAction(id, caseEndpoints.requestClose);
export const useRejectClose = (id: string) => useCaseAction(id, caseEndpoints.rejectClose);
export const useAddAttachment = (id: string) => useCaseAction(id, caseEndpoints.attach);

export function useStartCaseBundle(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof evidenceEndpoints.forCase>) => call(evidenceEndpoints.forCase, { params: { id }, body }),
    // The case's bundle list and timeline show the new bundle (the list polls it until built).
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['bundles'] }), client.invalidateQueries({ queryKey: ['case', id] })]),
  });
}

/** Polls a bundle until it is done or failed. */
export function useBundle(id: string | null) {
  return useQuery({
    queryKey: ['bundle', id],
    enabled: id !== null,
    queryFn: () => call(evidenceEndpoints.get, { params: { id: id ?? '' } }),
    refetchInterval: (query) => (query.state.data?.status === 'done' || query.state.data?.status === 'failed' ? false : 700),
  });
}
