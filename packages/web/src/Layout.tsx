import { useState, type MouseEvent, type ReactElement } from 'react';
import { signOut, type SignedInSubject } from './auth/session.js';
import { AccessRulesPage } from './pages/AccessRulesPage.js';
import { AuditLogPage } from './pages/AuditLogPage.js';
import { ApplicationsPage } from './apps/ApplicationsPage.js';
import { AccessKeysPage } from './accounts/AccessKeysPage.js';
import { ServiceAccountsPage } from './accounts/ServiceAccountsPage.js';
import { ClustersPage } from './clusters/ClustersPage.js';
import { HomePage } from './pages/HomePage.js';
import { RolesPage } from './pages/RolesPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { can, type PermissionMap } from './permissions.js';
import { navigate } from './router.js';
import { OrgUnitsPage } from './org-units/OrgUnitsPage.js';
import { TenantSettingsPage } from './tenant-settings/TenantSettingsPage.js';

/** A page of the app: where it lives, its menu label, and who may see it. */
interface PageDef {
  path: string;
  label: string;
  visible: (perms: PermissionMap) => boolean;
  render: (perms: PermissionMap) => ReactElement;
}

/** Settings & Tools: administration pages, each shown only to subjects who may read its resource. */
export const SETTINGS_PAGES: PageDef[] = [
  {
    path: '/settings/applications',
    label: 'Applications',
    visible: (p) => can(p, 'apps', 'read'),
    render: (p) => <ApplicationsPage perms={p} />,
  },
  {
    path: '/settings/service-accounts',
    label: 'Service accounts',
    visible: (p) => can(p, 'service-account', 'read'),
    render: (p) => <ServiceAccountsPage perms={p} />,
  },
  {
    path: '/settings/access-keys',
    label: 'Access keys',
    // Personal, like a personal access token: every signed-in user manages their own keys.
    visible: () => true,
    render: () => <AccessKeysPage />,
  },
  {
    path: '/settings/users',
    label: 'Users',
    visible: (p) => can(p, 'users', 'read'),
    render: (p) => <UsersPage perms={p} />,
  },
  {
    path: '/settings/access-rules',
    label: 'Access rules',
    visible: (p) => can(p, 'access_rules', 'read'),
    render: (p) => <AccessRulesPage perms={p} />,
  },
  {
    path: '/settings/roles',
    label: 'Roles',
    visible: (p) => can(p, 'roles', 'read'),
    render: () => <RolesPage />,
  },
  {
    path: '/settings/org-units',
    label: 'Departments & projects',
    visible: (p) => can(p, 'department', 'read') || can(p, 'project', 'read'),
    render: (p) => <OrgUnitsPage perms={p} />,
  },
  {
    path: '/settings/clusters',
    label: 'Clusters',
    visible: (p) => can(p, 'cluster', 'read'),
    render: (p) => <ClustersPage perms={p} />,
  },
  {
    path: '/settings/tenant',
    label: 'Tenant settings',
    visible: (p) => can(p, 'settings', 'read') || can(p, 'security-settings', 'read'),
    render: (p) => <TenantSettingsPage perms={p} />,
  },
  {
    path: '/settings/audit-log',
    label: 'Audit log',
    visible: (p) => can(p, 'audit', 'read'),
    render: () => <AuditLogPage />,
  },
];

function Link({ to, current, children }: { to: string; current: boolean; children: string }) {
  const go = (e: MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={go} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

/** The signed-in frame: header (who, sign out), the navigation, and the current page. */
export function Layout({
  path,
  subject,
  perms,
}: {
  path: string;
  subject: SignedInSubject;
  perms: PermissionMap;
}) {
  const visible = SETTINGS_PAGES.filter((p) => p.visible(perms));
  const [settingsOpen, setSettingsOpen] = useState(true);
  const page = visible.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  const hidden = !page && SETTINGS_PAGES.some((p) => path.startsWith(p.path));
  return (
    <div className="shell">
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Tessera</span>
        <span className="who" title={subject.id}>
          {subject.name}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav aria-label="Main" className="sidebar">
        <ul>
          <li>
            <Link to="/" current={path === '/'}>
              Home
            </Link>
          </li>
          {visible.length > 0 && (
            <li>
              <button
                type="button"
                className="disclosure"
                aria-expanded={settingsOpen}
                aria-controls="settings-menu"
                onClick={() => setSettingsOpen((o) => !o)}
              >
                Settings &amp; Tools
              </button>
              <ul id="settings-menu" hidden={!settingsOpen}>
                {visible.map((p) => (
                  <li key={p.path}>
                    <Link to={p.path} current={page?.path === p.path}>
                      {p.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </li>
          )}
        </ul>
      </nav>
      <main id="content" className="content" tabIndex={-1}>
        {page ? (
          page.render(perms)
        ) : hidden ? (
          <>
            <h1>Not available</h1>
            <p>You do not have permission to see this page.</p>
          </>
        ) : (
          <HomePage subject={subject} pages={visible.map(({ path: p, label }) => ({ path: p, label }))} />
        )}
      </main>
    </div>
  );
}
