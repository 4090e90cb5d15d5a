import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AppLayout } from './components/app-layout';
import { RequireAuth } from './components/require-auth';
import { RequireRole } from './components/require-role';
import { Loading } from './components/states';
import { Providers } from './providers';

// Every page is its own chunk; the first load carries only the shell.
const Login = lazy(() => import('./routes/auth/login'));
const Home = lazy(() => import('./routes/home/home'));
const CatalogSearch = lazy(() => import('./routes/catalog/search'));
const MyEntries = lazy(() => import('./routes/catalog/my-entries'));
const ReviewQueue = lazy(() => import('./routes/catalog/review-queue'));
const EntryDetail = lazy(() => import('./routes/catalog/entry-detail'));
const EntryEditor = lazy(() => import('./routes/catalog/entry-editor'));
const VersionCompare = lazy(() => import('./routes/catalog/version-compare'));
const Snapshots = lazy(() => import('./routes/catalog/snapshots'));
const SnapshotView = lazy(() => import('./routes/catalog/snapshot-view'));
const BasicInfo = lazy(() => import('./routes/catalog/basic-info'));
const DepartmentLists = lazy(() => import('./routes/catalog/department-lists'));
const CatalogImport = lazy(() => import('./routes/catalog/import'));
const Departments = lazy(() => import('./routes/orgs/departments'));
const DepartmentDetail = lazy(() => import('./routes/orgs/department-detail'));
const ContactDirectory = lazy(() => import('./routes/orgs/contacts'));
const Users = lazy(() => import('./routes/users/users'));
const WorkCalendar = lazy(() => import('./routes/calendar/calendar'));
const PolicyPage = lazy(() => import('./routes/policy/policy'));
const AuditLog = lazy(() => import('./routes/audit/audit-log'));
const MyDatasets = lazy(() => import('./routes/collection/my-datasets'));
const Dataset = lazy(() => import('./routes/collection/dataset'));
const CollectionOverview = lazy(() => import('./routes/collection/overview'));
const ApiClients = lazy(() => import('./routes/clients/api-clients'));
const Verifications = lazy(() => import('./routes/verification/verifications'));
const VerificationDetail = lazy(() => import('./routes/verification/verification-detail'));
const ShareApply = lazy(() => import('./routes/sharing/apply'));
const ShareRequests = lazy(() => import('./routes/sharing/requests'));
const ShareInbox = lazy(() => import('./routes/sharing/inbox'));
const ShareRequestDetail = lazy(() => import('./routes/sharing/request-detail'));
const MyGrants = lazy(() => import('./routes/sharing/my-grants'));
const DataHolders = lazy(() => import('./routes/sharing/data-holders'));
const GrantDetail = lazy(() => import('./routes/sharing/grant-detail'));
const ShareEscalations = lazy(() => import('./routes/sharing/escalations'));
const ShareOverdue = lazy(() => import('./routes/sharing/overdue'));
const ShareNegotiations = lazy(() => import('./routes/sharing/negotiations'));
const AccessLog = lazy(() => import('./routes/sharing/access-log'));
const Disputes = lazy(() => import('./routes/disputes/disputes'));
const FileDispute = lazy(() => import('./routes/disputes/file-dispute'));
const FileObjection = lazy(() => import('./routes/disputes/file-objection'));
const DisputeDetail = lazy(() => import('./routes/disputes/dispute-detail'));
const NotFound = lazy(() => import('./routes/errors/not-found'));

/** The console: providers, then the routes. */
export function App() {
  return (
    <Providers>
      <BrowserRouter>
        <Routes>
          <Route
            path="/login"
            element={
              <Suspense fallback={<Loading />}>
                <Login />
              </Suspense>
            }
          />
          <Route
            element={
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            }
          >
            <Route index element={<Home />} />
            <Route path="catalog">
              <Route index element={<Navigate to="search" replace />} />
              <Route path="search" element={<CatalogSearch />} />
              <Route
                path="mine"
                element={
                  <RequireRole area="myEntries">
                    <MyEntries />
                  </RequireRole>
                }
              />
              <Route
                path="review"
                element={
                  <RequireRole area="reviewQueue">
                    <ReviewQueue />
                  </RequireRole>
                }
              />
              <Route
                path="entries/new"
                element={
                  <RequireRole area="createEntry">
                    <EntryEditor />
                  </RequireRole>
                }
              />
              <Route path="entries/:id" element={<EntryDetail />} />
              <Route path="entries/:id/edit" element={<EntryEditor />} />
              <Route path="entries/:id/compare" element={<VersionCompare />} />
              <Route path="snapshots" element={<Snapshots />} />
              <Route path="snapshots/:id" element={<SnapshotView />} />
              <Route path="basic-items" element={<BasicInfo />} />
              <Route path="lists" element={<DepartmentLists />} />
              <Route
                path="import"
                element={
                  <RequireRole area="importCatalog">
                    <CatalogImport />
                  </RequireRole>
                }
              />
            </Route>
            <Route path="orgs">
              <Route index element={<Navigate to="departments" replace />} />
              <Route path="departments" element={<Departments />} />
              <Route path="departments/:id" element={<DepartmentDetail />} />
              <Route path="contacts" element={<ContactDirectory />} />
              <Route
                path="users"
                element={
                  <RequireRole area="users">
                    <Users />
                  </RequireRole>
                }
              />
            </Route>
            <Route path="collection">
              <Route index element={<Navigate to="datasets" replace />} />
              <Route
                path="datasets"
                element={
                  <RequireRole area="collection">
                    <MyDatasets />
                  </RequireRole>
                }
              />
              <Route
                path="datasets/:code"
                element={
                  <RequireRole area="collection">
                    <Dataset />
                  </RequireRole>
                }
              />
              <Route
                path="overview"
                element={
                  <RequireRole area="collectionOverview">
                    <CollectionOverview />
                  </RequireRole>
                }
              />
              <Route
                path="api-clients"
                element={
                  <RequireRole area="apiClients">
                    <ApiClients />
                  </RequireRole>
                }
              />
            </Route>
            <Route path="verifications">
              <Route
                index
                element={
                  <RequireRole area="verification">
                    <Verifications />
                  </RequireRole>
                }
              />
              <Route path=":id" element={<VerificationDetail />} />
            </Route>
            <Route path="sharing">
              <Route index element={<Navigate to="negotiations" replace />} />
              <Route
                path="apply/:entryId"
                element={
                  <RequireRole area="sharing">
                    <ShareApply />
                  </RequireRole>
                }
              />
              <Route
                path="requests"
                element={
                  <RequireRole area="sharing">
                    <ShareRequests />
                  </RequireRole>
                }
              />
              <Route path="requests/:id" element={<ShareRequestDetail />} />
              <Route
                path="inbox"
                element={
                  <RequireRole area="sharing">
                    <ShareInbox />
                  </RequireRole>
                }
              />
              <Route
                path="grants"
                element={
                  <RequireRole area="sharing">
                    <MyGrants />
                  </RequireRole>
                }
              />
              <Route path="grants/:id" element={<GrantDetail />} />
              <Route
                path="holders"
                element={
                  <RequireRole area="sharing">
                    <DataHolders />
                  </RequireRole>
                }
              />
              <Route
                path="escalations"
                element={
                  <RequireRole area="sharingAuthority">
                    <ShareEscalations />
                  </RequireRole>
                }
              />
              <Route
                path="overdue"
                element={
                  <RequireRole area="sharingAuthority">
                    <ShareOverdue />
                  </RequireRole>
                }
              />
              <Route path="negotiations" element={<ShareNegotiations />} />
              <Route
                path="access-log"
                element={
                  <RequireRole area="accessLog">
                    <AccessLog />
                  </RequireRole>
                }
              />
            </Route>
            <Route path="disputes">
              <Route
                index
                element={
                  <RequireRole area="disputes">
                    <Disputes />
                  </RequireRole>
                }
              />
              <Route
                path="new"
                element={
                  <RequireRole area="fileDispute">
                    <FileDispute />
                  </RequireRole>
                }
              />
              <Route
                path="new-objection"
                element={
                  <RequireRole area="filePublicObjection">
                    <FileObjection />
                  </RequireRole>
                }
              />
              <Route path=":id" element={<DisputeDetail />} />
            </Route>
            <Route path="system">
              <Route index element={<Navigate to="calendar" replace />} />
              <Route path="calendar" element={<WorkCalendar />} />
              <Route path="policy" element={<PolicyPage />} />
              <Route
                path="audit"
                element={
                  <RequireRole area="audit">
                    <AuditLog />
                  </RequireRole>
                }
              />
            </Route>
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </Providers>
  );
}
