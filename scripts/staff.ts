/**
 * Staff accounts from the command line (the first admin, and a way back in):
 *   npm run staff -- add NAME --role admin|reviewer|viewer
 *   npm run staff -- reset NAME      (a new one-time password; enables the account)
 *   npm run staff -- disable NAME
 *   npm run staff -- enable NAME
 *   npm run staff -- role NAME --role reviewer
 *   npm run staff -- totp-reset NAME (removes the second factor, e.g. a lost phone)
 *   npm run staff -- list
 * Uses the same store as the server (DATA_DIR, or REDIS_URL when set).
 */
import { loadConfig } from '../server/config';
import { AccountError, Accounts, ROLES } from '../staff/accounts';
import { AuditLog } from '../staff/audit';
import { createStaffKv } from '../staff';

const USAGE = `usage: npm run staff -- add NAME --role ${ROLES.join('|')} | reset NAME | disable NAME | enable NAME | role NAME --role ROLE | totp-reset NAME | list`;

async function main(argv: string[]): Promise<number> {
  const [command, name] = argv;
  const roleAt = argv.indexOf('--role');
  const role = roleAt >= 0 ? argv[roleAt + 1] : undefined;
  const config = loadConfig();
  const kv = createStaffKv({ dataDir: config.DATA_DIR, keyPrefix: config.REDIS_KEY_PREFIX, ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}) });
  const accounts = new Accounts(kv);
  const audit = new AuditLog(kv);
  const record = (action: 'account_created' | 'account_reset' | 'account_disabled' | 'account_enabled' | 'role_changed' | 'totp_removed', detail?: string) =>
    audit.record({ actor: 'cli', action, target: name!, ip: 'local', ...(detail ? { detail } : {}) });
  try {
    switch (command) {
      case 'add': {
        if (!name || !role) break;
        const password = await accounts.add(name, role);
        await record('account_created', `role ${role}`);
        process.stdout.write(`account ${Accounts.normalizeName(name)} created (${role}); give the password below to its owner, who must change it at first sign-in.\none-time password: ${password}\n`);
        return 0;
      }
      case 'reset': {
        if (!name) break;
        const password = await accounts.reset(name);
        await record('account_reset');
        process.stdout.write(`account ${Accounts.normalizeName(name)}: new password, to be changed at the next sign-in.\none-time password: ${password}\n`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        if (!name) break;
        await accounts.setDisabled(name, command === 'disable');
        await record(command === 'disable' ? 'account_disabled' : 'account_enabled');
        process.stdout.write(`account ${Accounts.normalizeName(name)} ${command}d\n`);
        return 0;
      }
      case 'role': {
        if (!name || !role) break;
        await accounts.setRole(name, role);
        await record('role_changed', `role ${role}`);
        process.stdout.write(`account ${Accounts.normalizeName(name)} is now ${role}\n`);
        return 0;
      }
      case 'totp-reset': {
        if (!name) break;
        await accounts.setTotp(name, undefined);
        await record('totp_removed');
        process.stdout.write(`account ${Accounts.normalizeName(name)}: second factor removed; it is set up again at the next sign-in\n`);
        return 0;
      }
      case 'list': {
        for (const a of await accounts.list()) {
          process.stdout.write(`${a.name}\t${a.role}\t${a.disabled ? 'disabled' : 'active'}${a.mustChangePassword ? '\tmust change password' : ''}${a.totp ? '\ttotp' : ''}\n`);
        }
        return 0;
      }
    }
    process.stderr.write(`${USAGE}\n`);
    return 2;
  } catch (err) {
    if (err instanceof AccountError) {
      const why = { exists: 'an account with this name exists', unknown: 'no such account', bad_name: 'names are 2-64 of a-z 0-9 . _ @ -', bad_role: `the role is one of ${ROLES.join(', ')}`, weak_password: 'password too short', same_password: 'same password' }[err.code];
      process.stderr.write(`${why}\n`);
      return 1;
    }
    throw err;
  } finally {
    await kv.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
