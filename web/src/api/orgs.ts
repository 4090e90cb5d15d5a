import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ItemsOf } from './client';

/** A city or district (`GET /regions`). */
export type Region = { code: string; name: string; nameEn: string; parentCode: string | null };

/** Department kinds: 党政机关, 事业单位, 人民团体, 垂直管理单位. */
export const DEPARTMENT_KINDS = ['government', 'public_institution', 'people_organisation', 'vertical'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** A government department or public-service unit. */
export type Department = {
  id: string;
  name: string;
  nameEn: string;
  uscc: string;
  regionCode: string;
  parentId: string | null;
  kind: string;
  isAuthority: boolean;
};
/** What a platform admin sets; `isAuthority` is not set through this form. */
export type DepartmentInput = Omit<Department, 'id' | 'isAuthority'>;

export const CONTACT_ROLES = ['leader', 'sharing_officer', 'technical_officer'] as const;
/** leader 分管领导 · sharing_officer 信息共享责任人 · technical_officer 技术实施责任人 */
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** One of a department's three named contacts. */
export type Contact = {
  departmentId: string;
  departmentName: string;
  role: ContactRole;
  name: string;
  phone: string;
  email: string;
  effectiveOn: string;
  reportedAt: string;
  isLate: boolean;
};
export type ContactInput = { name: string; phone: string; email: string; effectiveOn: string };

export type DepartmentQuery = { q?: string; regionCode?: string };

/** Query keys of the organisation domain (regions, departments, contacts). */
export const orgKeys = {
  all: ['orgs'] as const,
  regions: () => [...orgKeys.all, 'regions'] as const,
  departments: (query: DepartmentQuery = {}) => [...orgKeys.all, 'departments', query] as const,
  department: (id: string) => [...orgKeys.all, 'department', id] as const,
  contacts: (departmentId?: string) => [...orgKeys.all, 'contacts', departmentId ?? null] as const,
  contactHistory: (departmentId: string) => [...orgKeys.all, 'contact-history', departmentId] as const,
};

/** All regions. */
export function useRegions() {
  return useQuery({
    queryKey: orgKeys.regions(),
    queryFn: ({ signal }) => api.get<ItemsOf<Region>>('/regions', undefined, signal),
    staleTime: 30 * 60_000,
  });
}

/** Departments, optionally searched. Without filters it is the shared lookup list. */
export function useDepartments(query: DepartmentQuery = {}) {
  return useQuery({
    queryKey: orgKeys.departments(query),
    queryFn: ({ signal }) => api.get<ItemsOf<Department>>('/departments', query, signal),
    staleTime: 10 * 60_000,
    placeholderData: keepPreviousData,
  });
}

/** One department. */
export function useDepartment(id: string | undefined) {
  return useQuery({
    queryKey: orgKeys.department(id ?? ''),
    queryFn: ({ signal }) => api.get<Department>(`/departments/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Creates a department (platform_admin). */
export function useCreateDepartment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: DepartmentInput) => api.post<Department>('/departments', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

/** Updates a department. */
export function useUpdateDepartment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<DepartmentInput>) => api.patch<Department>(`/departments/${id}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

/** The published contact directory, optionally for one department. */
export function useContacts(departmentId?: string) {
  return useQuery({
    queryKey: orgKeys.contacts(departmentId),
    queryFn: ({ signal }) => api.get<ItemsOf<Contact>>('/contacts', { departmentId }, signal),
  });
}

/** A department's contact changes, newest first. */
export function useContactHistory(departmentId: string | undefined) {
  return useQuery({
    queryKey: orgKeys.contactHistory(departmentId ?? ''),
    queryFn: ({ signal }) =>
      api.get<ItemsOf<Contact>>(`/departments/${departmentId}/contacts/history`, undefined, signal),
    enabled: Boolean(departmentId),
  });
}

/** Reports a change of one of the department's contacts. */
export function usePutContact(departmentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ role, ...input }: ContactInput & { role: ContactRole }) =>
      api.put<Contact>(`/departments/${departmentId}/contacts/${role}`, input),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: orgKeys.all });
      void qc.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
}
