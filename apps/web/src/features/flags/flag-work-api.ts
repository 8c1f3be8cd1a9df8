import { useMutation, useQueryClient } from '@tanstack/react-query';
import { flagEndpoints, type BodyOf } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';

/** After work on a flag changes, the flag, the queue and the person's own list are read again. */
function useFlagWork<B>(id: string, send: (body: B) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['flag', id] });
      void client.invalidateQueries({ queryKey: ['flags'] });
      void client.invalidateQueries({ queryKey: ['my-work'] });
    },
  });
}

export const useCommentOnFlag = (id: string) =>
  useFlagWork(id, (body: BodyOf<typeof flagEndpoints.comment>) => call(flagEndpoints.comment, { params: { id }, body }));

export const useAssignFlag = (id: string) =>
  useFlagWork(id, (body: BodyOf<typeof flagEndpoints.assign>) => call(flagEndpoints.assign, { params: { id }, body }));
