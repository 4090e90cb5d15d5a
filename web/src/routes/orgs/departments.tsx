import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Select, Table, type TableColumnsType, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type Department, useCreateDepartment, useDepartments, useRegions } from '../../api/orgs';
import { PageContainer } from '../../components/page-container';
import { SearchInput } from '../../components/search-input';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { useNotify } from '../../lib/notify';
import { can } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';
import { DepartmentFormModal } from './department-form';

const FILTER_KEYS = ['q', 'regionCode'] as const;

/** 部门: the departments and units that share data. */
export default function DepartmentsPage() {
  const { t, tMaybe, pick } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const navigate = useNavigate();
  const { values, update } = useUrlFilters(FILTER_KEYS);
  const departments = useDepartments({ q: values.q, regionCode: values.regionCode });
  const all = useDepartments();
  const regions = useRegions();
  const create = useCreateDepartment();
  const [open, setOpen] = useState(false);

  const regionName = useMemo(() => {
    const map = new Map((regions.data?.items ?? []).map((r) => [r.code, pick(r.name, r.nameEn)]));
    return (code: string) => map.get(code) ?? code;
  }, [regions.data, pick]);
  const deptName = useMemo(() => {
    const map = new Map((all.data?.items ?? []).map((d) => [d.id, pick(d.name, d.nameEn)]));
    return (id: string | null) => (id ? (map.get(id) ?? id) : '—');
  }, [all.data, pick]);

  const columns: TableColumnsType<Department> = [
    {
      title: t('dept.name'),
      dataIndex: 'name',
      render: (_, row) => (
        <span>
          <Link to={`/orgs/departments/${row.id}`}>{pick(row.name, row.nameEn)}</Link>
          {row.isAuthority && (
            <Tag color="gold" style={{ marginLeft: 8 }}>
              {t('dept.authorityTag')}
            </Tag>
          )}
        </span>
      ),
    },
    { title: t('dept.uscc'), dataIndex: 'uscc', render: (v: string) => <span className="ht-mono">{v}</span> },
    { title: t('dept.region'), dataIndex: 'regionCode', render: (v: string) => regionName(v) },
    { title: t('dept.kind'), dataIndex: 'kind', render: (v: string) => tMaybe(`deptKind.${v}`, v) },
    { title: t('dept.parent'), dataIndex: 'parentId', render: (v: string | null) => deptName(v) },
  ];

  return (
    <PageContainer
      title={t('nav.departments')}
      subtitle={t('dept.subtitle')}
      extra={
        can(me, 'manageDepartments') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              create.reset();
              setOpen(true);
            }}
          >
            {t('dept.create')}
          </Button>
        )
      }
    >
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <SearchInput
            value={values.q}
            placeholder={t('dept.searchPlaceholder')}
            onSearch={(v) => update({ q: v || null })}
            width={280}
          />
          <Select
            allowClear
            placeholder={t('dept.region')}
            aria-label={t('dept.region')}
            value={values.regionCode}
            options={(regions.data?.items ?? []).map((r) => ({ value: r.code, label: pick(r.name, r.nameEn) }))}
            onChange={(v) => update({ regionCode: v ?? null })}
          />
        </div>
        {departments.error && <ProblemAlert error={departments.error} />}
        <Table<Department>
          rowKey="id"
          columns={columns}
          dataSource={departments.data?.items ?? []}
          loading={departments.isFetching}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.totalItems', { total }) }}
          locale={{ emptyText: <EmptyState description={t('common.noMatches')} /> }}
        />
      </Card>
      <DepartmentFormModal
        open={open}
        pending={create.isPending}
        error={create.error}
        onCancel={() => setOpen(false)}
        onSubmit={(input) =>
          create.mutate(input, {
            onSuccess: (d) => {
              notify.success(t('dept.created'));
              setOpen(false);
              void navigate(`/orgs/departments/${d.id}`);
            },
          })
        }
      />
    </PageContainer>
  );
}
