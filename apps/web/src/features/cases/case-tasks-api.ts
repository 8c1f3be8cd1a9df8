import { useMutation, useQueryClient } from '@tanstack/react-query';
import { caseEndpoints, type BodyOf } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';

/** After a task changes, the case is read again: its tasks and timeline are the server's record. */
function useReloadCase(caseId: string) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['case', caseId] });
    void client.invalidateQueries({ queryKey: ['cases'] });
  };
}

export function useAddTask(caseId: string) {
  const reload = useReloadCase(caseId);
  return useMutation({ mutationFn: (body: BodyOf<typeof caseEndpoints.addTask>) => call(caseEndpoints.addTask, { params: { id: caseId }, body }), onSuccess: reload });
}

export function useSetTaskStatus(caseId: string) {
  const reload = useReloadCase(caseId);
  return useMutation({
    mutationFn: ({ taskId, done }: { taskId: string; done: boolean }) => call(done ? caseEndpoints.taskDone : caseEndpoints.taskReopen, { params: { id: caseId, taskId } }),
    onSuccess: reload,
  });
}
