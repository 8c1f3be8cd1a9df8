import { useQuery } from '@tanstack/react-query';
import { workEndpoints } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';

export function useMyWork() {
  return useQuery({ queryKey: ['my-work'], queryFn: () => call(workEndpoints.mine) });
}
