import {
  ApartmentOutlined,
  AlertOutlined,
  ApiOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  TableOutlined,
  AppstoreOutlined,
  AuditOutlined,
  CalendarOutlined,
  CameraOutlined,
  CheckSquareOutlined,
  ContactsOutlined,
  DatabaseOutlined,
  DiffOutlined,
  EyeOutlined,
  ExceptionOutlined,
  FieldTimeOutlined,
  FileSearchOutlined,
  FolderOpenOutlined,
  HomeOutlined,
  InboxOutlined,
  KeyOutlined,
  NotificationOutlined,
  LogoutOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SettingOutlined,
  ShareAltOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UsergroupAddOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Flex, Layout, Menu, type MenuProps, Tooltip, Typography } from 'antd';
import { type ReactNode, Suspense, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useLogout } from '../api/auth';
import { type MessageKey, useT } from '../i18n';
import { useCurrentUser } from '../lib/current-user';
import { type ACCESS, can } from '../lib/permissions';
import { ChangePasswordModal } from './change-password-modal';
import { LanguageSwitch } from './language-switch';
import { NotificationBell } from './notification-bell';
import { Loading } from './states';

type NavLeaf = { path: string; label: MessageKey; icon: ReactNode; area?: keyof typeof ACCESS };
type NavGroup = { key: string; label: MessageKey; icon: ReactNode; children: NavLeaf[] };

/** The left menu, grouped by area; `area` hides an item from roles that cannot use it. */
const NAV: (NavLeaf | NavGroup)[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  {
    key: 'catalog',
    label: 'nav.catalog',
    icon: <DatabaseOutlined />,
    children: [
      { path: '/catalog/search', label: 'nav.catalogSearch', icon: <FileSearchOutlined /> },
      { path: '/catalog/mine', label: 'nav.myEntries', icon: <FolderOpenOutlined />, area: 'myEntries' },
      { path: '/catalog/review', label: 'nav.reviewQueue', icon: <CheckSquareOutlined />, area: 'reviewQueue' },
      { path: '/catalog/snapshots', label: 'nav.snapshots', icon: <CameraOutlined /> },
      { path: '/catalog/basic-items', label: 'nav.basicInfo', icon: <AppstoreOutlined /> },
      { path: '/verifications', label: 'nav.verifications', icon: <DiffOutlined />, area: 'verification' },
      { path: '/catalog/lists', label: 'nav.lists', icon: <UnorderedListOutlined /> },
    ],
  },
  {
    key: 'orgs',
    label: 'nav.orgs',
    icon: <ApartmentOutlined />,
    children: [
      { path: '/orgs/departments', label: 'nav.departments', icon: <ProfileOutlined /> },
      { path: '/orgs/contacts', label: 'nav.contacts', icon: <ContactsOutlined /> },
      { path: '/orgs/users', label: 'nav.users', icon: <TeamOutlined />, area: 'users' },
    ],
  },
  {
    key: 'collection',
    label: 'nav.collection',
    icon: <CloudUploadOutlined />,
    children: [
      { path: '/collection/datasets', label: 'nav.myDatasets', icon: <TableOutlined />, area: 'collection' },
      { path: '/collection/overview', label: 'nav.collectionOverview', icon: <BarChartOutlined />, area: 'collectionOverview' },
      { path: '/collection/api-clients', label: 'nav.apiClients', icon: <ApiOutlined />, area: 'apiClients' },
    ],
  },
  {
    key: 'sharing',
    label: 'nav.sharing',
    icon: <ShareAltOutlined />,
    children: [
      { path: '/sharing/requests', label: 'nav.shareRequests', icon: <SendOutlined />, area: 'sharing' },
      { path: '/sharing/inbox', label: 'nav.shareInbox', icon: <InboxOutlined />, area: 'sharing' },
      { path: '/sharing/grants', label: 'nav.myGrants', icon: <SafetyCertificateOutlined />, area: 'sharing' },
      { path: '/sharing/holders', label: 'nav.dataHolders', icon: <UsergroupAddOutlined />, area: 'sharing' },
      { path: '/sharing/escalations', label: 'nav.shareEscalations', icon: <AlertOutlined />, area: 'sharingAuthority' },
      { path: '/sharing/overdue', label: 'nav.shareOverdue', icon: <WarningOutlined />, area: 'sharingAuthority' },
      { path: '/disputes', label: 'nav.disputes', icon: <ExceptionOutlined />, area: 'disputes' },
      { path: '/sharing/negotiations', label: 'nav.shareNegotiations', icon: <NotificationOutlined /> },
      { path: '/sharing/access-log', label: 'nav.accessLog', icon: <EyeOutlined />, area: 'accessLog' },
    ],
  },
  {
    key: 'system',
    label: 'nav.system',
    icon: <SettingOutlined />,
    children: [
      { path: '/system/calendar', label: 'nav.calendar', icon: <CalendarOutlined /> },
      { path: '/system/policy', label: 'nav.policy', icon: <FieldTimeOutlined /> },
      { path: '/system/audit', label: 'nav.audit', icon: <AuditOutlined />, area: 'audit' },
    ],
  },
];

const ALL_PATHS = NAV.flatMap((n) => ('children' in n ? n.children.map((c) => c.path) : [n.path]));

/** The menu item for the current address: the longest menu path that prefixes it. */
function selectedPath(pathname: string): string {
  if (pathname.startsWith('/catalog/entries') || pathname.startsWith('/catalog/import')) {
    return '/catalog/mine';
  }
  if (pathname.startsWith('/sharing/apply')) return '/sharing/requests';
  let best = '/';
  for (const path of ALL_PATHS) {
    if (path !== '/' && (pathname === path || pathname.startsWith(`${path}/`)) && path.length > best.length) {
      best = path;
    }
  }
  return best;
}

/** The console frame: header with user and language, grouped menu, page area. */
export function AppLayout() {
  const t = useT();
  const me = useCurrentUser();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);

  const items = useMemo<MenuProps['items']>(() => {
    type Item = NonNullable<MenuProps['items']>[number];
    const leaf = (n: NavLeaf): Item => ({
      key: n.path,
      icon: n.icon,
      label: <Link to={n.path}>{t(n.label)}</Link>,
    });
    return NAV.flatMap((n): Item[] => {
      if (!('children' in n)) return [leaf(n)];
      const children = n.children.filter((c) => !c.area || can(me, c.area)).map(leaf);
      return children.length ? [{ key: n.key, icon: n.icon, label: t(n.label), children }] : [];
    });
  }, [me, t]);

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  return (
    <Layout className="ht-shell">
      <Layout.Header className="ht-header">
        <Link to="/" className="ht-brand" aria-label={t('app.name')}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span className="ht-brand-name">{t('app.name')}</span>
        </Link>
        <Flex align="center" gap={4} className="ht-header-right">
          <Flex align="center" gap={8} className="ht-user" aria-label={t('header.currentUser')}>
            <Avatar size="small" icon={<UserOutlined />} className="ht-user-avatar" />
            <span className="ht-user-text">
              <Typography.Text className="ht-user-name" data-testid="current-user">
                {me.displayName}
              </Typography.Text>
              <Typography.Text className="ht-user-dept" data-testid="current-department">
                {me.departmentName}
              </Typography.Text>
            </span>
          </Flex>
          <NotificationBell className="ht-header-btn" />
          <LanguageSwitch className="ht-header-btn" />
          <Tooltip title={t('header.changePassword')}>
            <Button
              type="text"
              className="ht-header-btn"
              icon={<KeyOutlined />}
              aria-label={t('header.changePassword')}
              onClick={() => setPasswordOpen(true)}
            />
          </Tooltip>
          <Button
            type="text"
            className="ht-header-btn"
            icon={<LogoutOutlined />}
            loading={logout.isPending}
            onClick={onLogout}
            data-testid="logout"
          >
            {t('header.logout')}
          </Button>
        </Flex>
      </Layout.Header>
      <Layout>
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="md"
          width={232}
          theme="light"
          className="ht-sider"
        >
          <nav aria-label={t('nav.main')}>
            <Menu
              mode="inline"
              items={items}
              selectedKeys={[selectedPath(location.pathname)]}
              defaultOpenKeys={['catalog', 'collection', 'sharing', 'orgs', 'system']}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content className="ht-content">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={passwordOpen} onClose={() => setPasswordOpen(false)} />
    </Layout>
  );
}
