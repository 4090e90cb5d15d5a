import { EditOutlined, MailOutlined, PhoneOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Row, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  CONTACT_ROLES,
  type Contact,
  type ContactRole,
  useContactHistory,
  useContacts,
  useDepartment,
  useRegions,
  useUpdateDepartment,
} from '../../api/orgs';
import { useDepartmentName } from '../../components/department-select';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDate, formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { can, canEditContacts } from '../../lib/permissions';
import { ContactFormModal } from './contact-form';
import { DepartmentFormModal } from './department-form';

/** Tag for a contact change reported after the five-working-day deadline. */
export function LateTag({ late }: { late: boolean }) {
  const { t } = useI18n();
  return late ? <Tag color="error">{t('contact.late')}</Tag> : null;
}

/** 部门详情: the department, its three contacts, the change history. */
export default function DepartmentDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { t, tMaybe, pick } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const department = useDepartment(id);
  const contacts = useContacts(id);
  const history = useContactHistory(id);
  const regions = useRegions();
  const departmentName = useDepartmentName();
  const update = useUpdateDepartment(id ?? '');
  const [editing, setEditing] = useState(false);
  const [changing, setChanging] = useState<ContactRole | null>(null);

  const byRole = useMemo(() => {
    const map = new Map<ContactRole, Contact>();
    for (const c of contacts.data?.items ?? []) if (c.departmentId === id) map.set(c.role, c);
    return map;
  }, [contacts.data, id]);

  if (department.isPending) return <Loading />;
  if (department.error || !department.data) {
    return <ErrorState error={department.error} onRetry={() => void department.refetch()} />;
  }
  const d = department.data;
  const region = regions.data?.items.find((r) => r.code === d.regionCode);
  const editContacts = canEditContacts(me, d.id);

  const historyColumns: TableColumnsType<Contact> = [
    { title: t('contact.roleLabel'), dataIndex: 'role', render: (v: ContactRole) => t(`contact.role.${v}`) },
    { title: t('contact.name'), dataIndex: 'name' },
    { title: t('contact.phone'), dataIndex: 'phone' },
    { title: t('contact.email'), dataIndex: 'email' },
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
    <PageContainer
      title={pick(d.name, d.nameEn)}
      titleExtra={d.isAuthority && <Tag color="gold">{t('dept.authorityTag')}</Tag>}
      subtitle={d.uscc}
      back="/orgs/departments"
      extra={
        <>
          <Link to={`/catalog/search?departmentId=${d.id}`}>
            <Button>{t('dept.viewCatalog')}</Button>
          </Link>
          <Link to={`/catalog/lists?departmentId=${d.id}`}>
            <Button>{t('nav.lists')}</Button>
          </Link>
          {can(me, 'users') && (can(me, 'manageDepartments') || me.departmentId === d.id) && (
            <Link to={`/orgs/users?departmentId=${d.id}`}>
              <Button>{t('nav.users')}</Button>
            </Link>
          )}
          {can(me, 'manageDepartments') && (
            <Button
              type="primary"
              icon={<EditOutlined />}
              onClick={() => {
                update.reset();
                setEditing(true);
              }}
            >
              {t('dept.edit')}
            </Button>
          )}
        </>
      }
    >
      <Card title={t('dept.basics')}>
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'name', label: t('dept.name'), children: d.name },
            { key: 'nameEn', label: t('dept.nameEn'), children: d.nameEn || '—' },
            { key: 'uscc', label: t('dept.uscc'), children: <span className="ht-mono">{d.uscc}</span> },
            {
              key: 'region',
              label: t('dept.region'),
              children: region ? t('common.withCode', { name: pick(region.name, region.nameEn), code: region.code }) : d.regionCode,
            },
            { key: 'kind', label: t('dept.kind'), children: tMaybe(`deptKind.${d.kind}`, d.kind) },
            {
              key: 'parent',
              label: t('dept.parent'),
              children: d.parentId ? <Link to={`/orgs/departments/${d.parentId}`}>{departmentName(d.parentId)}</Link> : '—',
            },
          ]}
        />
      </Card>

      <Card title={t('contact.current')} extra={<Typography.Text type="secondary">{t('contact.deadlineHint')}</Typography.Text>}>
        {contacts.isPending ? (
          <Loading />
        ) : (
          <Row gutter={[16, 16]}>
            {CONTACT_ROLES.map((role) => {
              const c = byRole.get(role);
              return (
                <Col key={role} xs={24} md={8}>
                  <Card
                    size="small"
                    type="inner"
                    title={t(`contact.role.${role}`)}
                    extra={
                      editContacts && (
                        <Button
                          type="link"
                          size="small"
                          icon={<UserSwitchOutlined />}
                          onClick={() => setChanging(role)}
                          data-testid={`contact-change-${role}`}
                        >
                          {t('contact.change')}
                        </Button>
                      )
                    }
                  >
                    {c ? (
                      <div style={{ lineHeight: 1.9 }}>
                        <div>
                          <strong>{c.name}</strong> <LateTag late={c.isLate} />
                        </div>
                        <div>
                          <PhoneOutlined /> {c.phone}
                        </div>
                        <div>
                          <MailOutlined /> <a href={`mailto:${c.email}`}>{c.email}</a>
                        </div>
                        <div className="ht-muted" style={{ fontSize: 12 }}>
                          {t('contact.effectiveOn')} {formatDate(c.effectiveOn)} · {t('contact.reportedAt')}{' '}
                          {formatDateTime(c.reportedAt)}
                        </div>
                      </div>
                    ) : (
                      <EmptyState description={t('contact.notRegistered')} />
                    )}
                  </Card>
                </Col>
              );
            })}
          </Row>
        )}
      </Card>

      <Card title={t('contact.history')}>
        <Table<Contact>
          size="small"
          rowKey={(row) => `${row.role}-${row.reportedAt}-${row.name}`}
          columns={historyColumns}
          dataSource={history.data?.items ?? []}
          loading={history.isFetching}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 800 }}
          locale={{ emptyText: <EmptyState description={t('contact.noHistory')} /> }}
        />
      </Card>

      <ContactFormModal
        departmentId={d.id}
        role={changing}
        current={changing ? byRole.get(changing) : undefined}
        onClose={() => setChanging(null)}
      />
      <DepartmentFormModal
        open={editing}
        department={d}
        pending={update.isPending}
        error={update.error}
        onCancel={() => setEditing(false)}
        onSubmit={(input) =>
          update.mutate(input, {
            onSuccess: () => {
              notify.success(t('common.saved'));
              setEditing(false);
            },
          })
        }
      />
    </PageContainer>
  );
}
