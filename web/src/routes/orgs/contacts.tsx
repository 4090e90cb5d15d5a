import { Card, Select, Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { CONTACT_ROLES, type Contact, type ContactRole, useContacts } from '../../api/orgs';
import { DepartmentSelect } from '../../components/department-select';
import { PageContainer } from '../../components/page-container';
import { SearchInput } from '../../components/search-input';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useT } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { formatDate, formatDateTime } from '../../lib/format';
import { useUrlFilters } from '../../lib/url-state';
import { LateTag } from './department-detail';

const FILTER_KEYS = ['departmentId', 'role', 'q'] as const;

/** 联系人目录: the published list of every department's three contacts. */
export default function ContactDirectoryPage() {
  const t = useT();
  const { values, update } = useUrlFilters(FILTER_KEYS);
  const contacts = useContacts(values.departmentId);
  const role = oneOf(CONTACT_ROLES, values.role);

  const rows = useMemo(() => {
    const q = (values.q ?? '').trim().toLowerCase();
    return (contacts.data?.items ?? [])
      .filter((c) => !role || c.role === role)
      .filter((c) => !q || [c.name, c.phone, c.email, c.departmentName].some((v) => v.toLowerCase().includes(q)))
      .sort(
        (a, b) =>
          a.departmentName.localeCompare(b.departmentName) ||
          CONTACT_ROLES.indexOf(a.role) - CONTACT_ROLES.indexOf(b.role),
      );
  }, [contacts.data, role, values.q]);

  const columns: TableColumnsType<Contact> = [
    {
      title: t('common.department'),
      dataIndex: 'departmentName',
      render: (v: string, row) => <Link to={`/orgs/departments/${row.departmentId}`}>{v}</Link>,
    },
    { title: t('contact.roleLabel'), dataIndex: 'role', render: (v: ContactRole) => t(`contact.role.${v}`) },
    { title: t('contact.name'), dataIndex: 'name' },
    { title: t('contact.phone'), dataIndex: 'phone' },
    { title: t('contact.email'), dataIndex: 'email', render: (v: string) => <a href={`mailto:${v}`}>{v}</a> },
    { title: t('contact.effectiveOn'), dataIndex: 'effectiveOn', render: (v: string) => formatDate(v) },
    {
      title: t('contact.reportedAt'),
      dataIndex: 'reportedAt',
      render: (v: string, row) => (
        <span>
          {formatDateTime(v)} <LateTag late={row.isLate} />
        </span>
      ),
    },
  ];

  return (
    <PageContainer title={t('nav.contacts')} subtitle={t('contact.directorySubtitle')}>
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <SearchInput
            value={values.q}
            placeholder={t('contact.searchPlaceholder')}
            onSearch={(v) => update({ q: v || null })}
          />
          <DepartmentSelect
            value={values.departmentId}
            onChange={(v) => update({ departmentId: v ?? null })}
            aria-label={t('common.department')}
            style={{ width: 240 }}
          />
          <Select
            allowClear
            placeholder={t('contact.roleLabel')}
            aria-label={t('contact.roleLabel')}
            value={role}
            options={CONTACT_ROLES.map((r) => ({ value: r, label: t(`contact.role.${r}`) }))}
            onChange={(v) => update({ role: v ?? null })}
          />
        </div>
        {contacts.error && <ProblemAlert error={contacts.error} />}
        <Table<Contact>
          rowKey={(row) => `${row.departmentId}-${row.role}`}
          columns={columns}
          dataSource={rows}
          loading={contacts.isFetching}
          scroll={{ x: 1000 }}
          pagination={{ pageSize: 30, hideOnSinglePage: true, showTotal: (total) => t('common.totalItems', { total }) }}
          locale={{ emptyText: <EmptyState description={t('common.noMatches')} /> }}
        />
      </Card>
    </PageContainer>
  );
}
