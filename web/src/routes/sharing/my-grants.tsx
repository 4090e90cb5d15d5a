import { GrantList } from './grant-list';

/** 我的授权: what my department may query through the sharing API. */
export default function MyGrantsPage() {
  return <GrantList side="consumer" />;
}
