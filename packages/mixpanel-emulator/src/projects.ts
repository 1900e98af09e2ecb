import { MESSAGES } from './messages.js';
import type { ProjectConfig } from './types.js';

/** The project `npm start` and the CLI use when none are configured. */
export const DEFAULT_PROJECT: ProjectConfig = {
  token: 'tally-dev-token',
  secret: 'tally-dev-secret',
  projectId: 1,
  serviceAccounts: [{ username: 'tally-dev.sa', secret: 'tally-dev-sa-secret' }],
};

/** Looks projects up by token, as /track, /engage and /groups identify them. */
export function createProjectRegistry(projects: ProjectConfig[]) {
  const byToken = new Map(projects.map((p) => [p.token, p]));
  const bySecret = new Map(projects.map((p) => [p.secret, p]));
  const byId = new Map(projects.map((p) => [p.projectId, p]));
  return {
    list: projects,
    byToken: (token: string) => byToken.get(token),
    /**
     * /import basic auth (Import Events, Authentication; docs 401-unauthorized page): a service
     * account with `project_id`, the project token as username with an empty password (with or
     * without `project_id`), or the legacy project secret as username with an empty password.
     */
    authenticate(authorization: string | undefined, projectIdParam: string | null): { project: ProjectConfig } | { error: string } {
      const credentials = parseBasicAuth(authorization);
      if (!credentials) return { error: MESSAGES.invalidCredentials };
      const { username, password } = credentials;
      const wanted = projectIdParam === null || projectIdParam === '' ? undefined : Number(projectIdParam);
      if (password === '') {
        const project = byToken.get(username) ?? bySecret.get(username);
        if (!project) return { error: MESSAGES.invalidCredentials };
        if (wanted !== undefined && wanted !== project.projectId) return { error: MESSAGES.projectIdMismatch };
        return { project };
      }
      const owners = projects.filter((p) => p.serviceAccounts?.some((sa) => sa.username === username && sa.secret === password));
      if (owners.length === 0) return { error: MESSAGES.invalidCredentials };
      // "When authenticating with a Service Account, project_id is required."
      if (wanted === undefined) return { error: MESSAGES.projectIdRequired };
      const project = byId.get(wanted);
      if (!project || !owners.includes(project)) return { error: MESSAGES.projectIdMismatch };
      return { project };
    },
  };
}

/** The project registry. */
export type ProjectRegistry = ReturnType<typeof createProjectRegistry>;

/**
 * Reads `Authorization: Basic …`. Mixpanel's service-account page says it accepts the
 * credentials base64-encoded or as plain text, so both are read.
 */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const raw = (match[1] as string).trim();
  let text = raw;
  if (/^[A-Za-z0-9+/=]+$/.test(raw)) {
    const decoded = Buffer.from(raw, 'base64').toString('utf8');
    if (decoded.includes(':')) text = decoded;
  }
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const username = text.slice(0, colon);
  if (username === '') return undefined;
  return { username, password: text.slice(colon + 1) };
}
