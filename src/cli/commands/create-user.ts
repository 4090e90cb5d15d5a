import { orgsService } from '../../domains/orgs/index.js';
// The CLI validates with the same schema as the HTTP route (orgs' index does not re-export it).
import { ZUserInput } from '../../domains/orgs/index.js';
import type { Ctx } from '../../platform/http/index.js';
import { type CommandRun, CliFailure, cliCtx, EXIT, parseCommandArgs, required, UsageError } from '../command.js';
import { withPlatform } from '../open-platform.js';
import { generatePassword } from '../password.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The department an operator named, by id or by its exact name (also used by `ca issue`). */
export async function resolveDepartment(ctx: Ctx, nameOrId: string) {
  if (UUID.test(nameOrId)) return orgsService.getDepartment(ctx, nameOrId.toLowerCase());
  const matches = await orgsService.listDepartments(ctx, { q: nameOrId });
  const exact = matches.find((d) => d.name === nameOrId);
  if (exact) return exact;
  const hint = matches.length ? ` Did you mean: ${matches.slice(0, 5).map((d) => d.name).join(', ')}?` : '';
  throw new CliFailure(`no department named "${nameOrId}" / 未找到部门「${nameOrId}」.${hint}`);
}

/** `huitong user create`: adds an account; the password comes from --password or is generated and shown once. */
export const run: CommandRun = async ({ config, args, io }) => {
  const { values } = parseCommandArgs(args, {
    username: { type: 'string' },
    name: { type: 'string' },
    department: { type: 'string' },
    role: { type: 'string', multiple: true },
    password: { type: 'string' },
  });
  const department = required(values.department, 'department');
  const generated = values.password === undefined;
  const password = values.password ?? generatePassword();
  const draft = {
    username: required(values.username, 'username'),
    displayName: required(values.name, 'name'),
    roles: values.role ?? [],
    password,
  };
  // Check the command line before opening the database: the placeholder id only satisfies the schema.
  const parsed = ZUserInput.safeParse({ ...draft, departmentId: '00000000-0000-4000-8000-000000000000' });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `--${optionOf(String(i.path[0]))}: ${i.message}`).join('; '));
  }
  return withPlatform(config, async (app) => {
    const ctx = cliCtx(app, 'user create');
    const dept = await resolveDepartment(ctx, department);
    const user = await orgsService.createUser(ctx, { ...parsed.data, departmentId: dept.id });
    io.out(`created user ${user.username} (${user.id}) in ${dept.name}, roles ${user.roles.join(', ')} / 用户已创建`);
    if (generated) io.out(`password (shown once) / 初始密码（仅显示一次）: ${password}`);
    return EXIT.ok;
  });
};

/** The command-line option that fills a schema field. */
function optionOf(field: string): string {
  return ({ displayName: 'name', roles: 'role', departmentId: 'department' } as Record<string, string>)[field] ?? field;
}
