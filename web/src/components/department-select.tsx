import { Select, type SelectProps } from 'antd';
import { useMemo } from 'react';
import { useDepartments } from '../api/orgs';
import { useI18n } from '../i18n';

type Props = Omit<SelectProps<string>, 'options' | 'mode'> & {
  /** Departments not to offer (e.g. the current one when reassigning). */
  exclude?: string[];
};

/** Searchable department picker fed by GET /departments. */
export function DepartmentSelect({ exclude, placeholder, ...rest }: Props) {
  const { t, pick } = useI18n();
  const { data, isLoading } = useDepartments();
  const options = useMemo(
    () =>
      (data?.items ?? [])
        .filter((d) => !exclude?.includes(d.id))
        .map((d) => ({ value: d.id, label: pick(d.name, d.nameEn) })),
    [data, exclude, pick],
  );
  return (
    <Select<string>
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      loading={isLoading}
      options={options}
      placeholder={placeholder ?? t('common.selectDepartment')}
      popupMatchSelectWidth={false}
      {...rest}
    />
  );
}

/** Looks a department's display name up from the cached list. */
export function useDepartmentName() {
  const { pick } = useI18n();
  const { data } = useDepartments();
  return useMemo(() => {
    const byId = new Map((data?.items ?? []).map((d) => [d.id, pick(d.name, d.nameEn)]));
    return (id: string | null | undefined, fallback?: string | null) =>
      (id ? byId.get(id) : undefined) ?? fallback ?? id ?? '—';
  }, [data, pick]);
}
