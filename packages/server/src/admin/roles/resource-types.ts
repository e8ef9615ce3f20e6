/** The spec's `ResourceTypeGroupId` for each resource type Tessera's roles mention, and a display name. */
const GROUPS: Record<string, [group: string, displayName: string]> = {
  tenant: ['organization', 'Account'],
  department: ['organization', 'Departments'],
  project: ['organization', 'Projects'],
  cluster: ['physical-resource', 'Clusters'],
  'cluster-config': ['physical-resource', 'Cluster configuration'],
  nodepools: ['physical-resource', 'Node pools'],
  nodes: ['physical-resource', 'Nodes'],
  settings: ['organization', 'General settings'],
  'security-settings': ['iam', 'Security settings'],
  'branding-settings': ['organization', 'Branding settings'],
  users: ['iam', 'Users'],
  apps: ['iam', 'Applications'],
  'service-account': ['iam', 'Service accounts'],
  'access-keys': ['iam', 'Access keys'],
  roles: ['iam', 'Roles'],
  access_rules: ['iam', 'Access rules'],
  workloads: ['workload', 'Workloads'],
  jobs: ['workload', 'Jobs'],
  trainings: ['workload', 'Trainings'],
  workspaces: ['workload', 'Workspaces'],
  inferences: ['workload', 'Inferences'],
  credentials: ['workload-asset', 'Credentials'],
  'events-history': ['dashboard', 'Event history'],
};

/** Resource types that exist in Run:ai's `ResourceType` enum. */
export const SPEC_RESOURCE_TYPES = new Set(Object.keys(GROUPS));

/** Group id and display name of a resource type. */
export function describeResourceType(resourceType: string): { groupId: string; displayName: string } {
  const [groupId, displayName] = GROUPS[resourceType] ?? ['organization', resourceType];
  return { groupId, displayName };
}
