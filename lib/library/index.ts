import type { FleetHome } from '../home.js';
import { loadProfiles, type Profile } from './profiles.js';
import { loadRoles, type Role } from './roles.js';

export interface Library {
  roles: Map<string, Role>;
  profiles: Map<string, Profile>;
}

/** Shipped roles and profiles merged with the user's overrides in FLEET_HOME (user wins). */
export function loadLibrary(home: FleetHome): Library {
  const roles = loadRoles(home.rolesDir);
  const profiles = loadProfiles(new Set(roles.keys()), home.profilesDir);
  return { roles, profiles };
}
