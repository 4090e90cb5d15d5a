import { EditOutlined, KeyOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { ROLES, type Role } from '../../api/auth';
import { type User, useCreateUser, useResetPassword, useUpdateUser, useUsers } from '../../api/users';
import { DepartmentSelect } from '../../components/department-select';
import { PageContainer } from '../../components/page-container';
import { SearchInput } from '../../components/search-input';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useT } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime, isPast } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { confirmPasswordRules, passwordRules } from '../../lib/password';
import { hasRole } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';

const FILTER_KEYS = ['departmentId', 'q'] as const;
/** Roles a department admin may hand out inside their own department. */
const DEPT_ADMIN_GRANTS: Role[] = ['dept_admin', 'catalog_editor', 'catalog_reviewer', 'sharing_officer'];

const ROLE_COLORS: Record<Role, string> = {
  platform_admin: 'magenta',
  authority: 'gold',
  dept_admin: 'purple',
  catalog_editor: 'blue',
  catalog_reviewer: 'cyan',
  sharing_officer: 'green',
  supervisor: 'geekblue',
};

type CreateValues = { username: string; displayName: string; departmentId: string; roles: Role[]; password: string; confirm: string };

/** 用户与角色: accounts, roles, disabling, password resets. */
export default function UsersPage() {
  const t = useT();
  const me = useCurrentUser();
  const notify = useNotify();
  const isPlatformAdmin = hasRole(me, 'platform_admin');
  const { values, update } = useUrlFilters(FILTER_KEYS);
  const departmentId = isPlatformAdmin ? values.departmentId : me.departmentId;
  const users = useUsers(departmentId);
  const create = useCreateUser();
  const patch = useUpdateUser();
  const reset = useResetPassword();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [createForm] = Form.useForm<CreateValues>();
  const [editForm] = Form.useForm<{ displayName: string; roles: Role[] }>();
  const [resetForm] = Form.useForm<{ password: string; confirm: string }>();

  const grantable = isPlatformAdmin ? [...ROLES] : DEPT_ADMIN_GRANTS;
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`role.${r}`), disabled: !grantable.includes(r) }));

  const q = (values.q ?? '').trim().toLowerCase();
  const rows = (users.data?.items ?? []).filter(
    (u) => !q || u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q),
  );

  const toggleDisabled = (user: User) =>
    patch.mutateAsync({ id: user.id, disabled: !user.disabled }).then(
      () => notify.success(user.disabled ? t('users.enabled') : t('users.disabledDone')),
      (err: unknown) => notify.error(err),
    );

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username', render: (v: string) => <span className="ht-mono">{v}</span> },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    { title: t('common.department'), dataIndex: 'departmentName' },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      render: (roles: Role[]) =>
        roles.length ? (
          roles.map((r) => (
            <Tag key={r} color={ROLE_COLORS[r]}>
              {t(`role.${r}`)}
            </Tag>
          ))
        ) : (
          <span className="ht-muted">{t('users.noRoles')}</span>
        ),
    },
    {
      title: t('users.state'),
      key: 'state',
      render: (_, u) =>
        u.disabled ? (
          <Tag>{t('users.stateDisabled')}</Tag>
        ) : u.lockedUntil && !isPast(u.lockedUntil) ? (
          <Tag color="error">{t('users.lockedUntil', { time: formatDateTime(u.lockedUntil) })}</Tag>
        ) : (
          <Tag color="success">{t('users.stateActive')}</Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 260,
      render: (_, u) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            icon={<EditOutlined />}
            onClick={() => {
              patch.reset();
              editForm.setFieldsValue({ displayName: u.displayName, roles: u.roles });
              setEditing(u);
            }}
          >
            {t('users.editRoles')}
          </Button>
          <Button
            type="link"
            size="small"
            icon={<KeyOutlined />}
            onClick={() => {
              reset.reset();
              resetForm.resetFields();
              setResetting(u);
            }}
          >
            {t('users.resetPassword')}
          </Button>
          {u.id !== me.id && (
            <Popconfirm
              title={u.disabled ? t('users.confirmEnable', { name: u.displayName }) : t('users.confirmDisable', { name: u.displayName })}
              okText={t('common.confirm')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: !u.disabled }}
              onConfirm={() => toggleDisabled(u)}
            >
              <Button type="link" size="small" danger={!u.disabled} icon={u.disabled ? <CheckCircleOutlined /> : <StopOutlined />}>
                {u.disabled ? t('users.enable') : t('users.disable')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];


  return (
    <PageContainer
      title={t('nav.users')}
      subtitle={isPlatformAdmin ? t('users.subtitleAll') : t('users.subtitleDept', { department: me.departmentName })}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            create.reset();
            createForm.resetFields();
            setCreating(true);
          }}
        >
          {t('users.create')}
        </Button>
      }
    >
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <SearchInput
            value={values.q}
            placeholder={t('users.searchPlaceholder')}
            onSearch={(v) => update({ q: v || null })}
            width={240}
          />
          {isPlatformAdmin && (
            <DepartmentSelect
              value={values.departmentId}
              onChange={(v) => update({ departmentId: v ?? null })}
              aria-label={t('common.department')}
              style={{ width: 240 }}
            />
          )}
        </div>
        {users.error && <ProblemAlert error={users.error} />}
        <Table<User>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={users.isFetching}
          scroll={{ x: 1100 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.totalItems', { total }) }}
          locale={{ emptyText: <EmptyState description={t('common.noMatches')} /> }}
        />
      </Card>

      <Modal
        open={creating}
        title={t('users.create')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onOk={() => createForm.submit()}
        onCancel={() => setCreating(false)}
        forceRender
      >
        {create.error && <ProblemAlert error={create.error} />}
        <Form<CreateValues>
          form={createForm}
          layout="vertical"
          style={{ marginTop: 12 }}
          initialValues={{ departmentId: isPlatformAdmin ? values.departmentId : me.departmentId, roles: [] }}
          onFinish={(v) =>
            create.mutate(
              {
                username: v.username.trim(),
                displayName: v.displayName.trim(),
                departmentId: isPlatformAdmin ? v.departmentId : me.departmentId,
                roles: v.roles,
                password: v.password,
              },
              {
                onSuccess: () => {
                  notify.success(t('users.created'));
                  setCreating(false);
                },
              },
            )
          }
        >
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[
              { required: true, whitespace: true },
              { pattern: /^[a-z0-9_.-]{3,64}$/, message: t('users.usernamePattern') },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: true }]}>
            <DepartmentSelect disabled={!isPlatformAdmin} />
          </Form.Item>
          <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Select mode="multiple" options={roleOptions} />
          </Form.Item>
          <Form.Item name="password" label={t('users.initialPassword')} rules={passwordRules(t)}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('password.confirm')}
            dependencies={['password']}
            rules={confirmPasswordRules(t, 'password')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={editing !== null}
        title={t('users.editTitle', { name: editing?.username ?? '' })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={patch.isPending}
        onOk={() => editForm.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        {patch.error && editing && <ProblemAlert error={patch.error} />}
        <Form
          form={editForm}
          layout="vertical"
          style={{ marginTop: 12 }}
          onFinish={(v) =>
            editing &&
            patch.mutate(
              { id: editing.id, displayName: v.displayName.trim(), roles: v.roles },
              {
                onSuccess: () => {
                  notify.success(t('common.saved'));
                  setEditing(null);
                },
              },
            )
          }
        >
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t('users.roles')}
            extra={t('users.rolesHelp')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Select mode="multiple" options={roleOptions} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={resetting !== null}
        title={t('users.resetTitle', { name: resetting?.username ?? '' })}
        okText={t('users.resetPassword')}
        cancelText={t('common.cancel')}
        confirmLoading={reset.isPending}
        onOk={() => resetForm.submit()}
        onCancel={() => setResetting(null)}
        forceRender
      >
        {reset.error && <ProblemAlert error={reset.error} />}
        <Form
          form={resetForm}
          layout="vertical"
          style={{ marginTop: 12 }}
          onFinish={(v) =>
            resetting &&
            reset.mutate(
              { id: resetting.id, password: v.password },
              {
                onSuccess: () => {
                  notify.success(t('users.passwordReset'));
                  setResetting(null);
                },
              },
            )
          }
        >
          <Form.Item name="password" label={t('password.new')} rules={passwordRules(t)}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('password.confirm')}
            dependencies={['password']}
            rules={confirmPasswordRules(t, 'password')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
