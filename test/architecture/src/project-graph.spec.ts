import { createProjectGraphAsync, ProjectGraph } from '@nx/devkit';

/**
 * The workspace's architecture, checked on the real Nx project graph:
 * dependencies flow apps -> libs, never lib -> app, and the pure domain
 * libs depend on nothing but other domain libs. The ESLint boundary rule
 * enforces the same per import; this test also catches a project that has
 * no type tag (which the rule would silently let through).
 */
const TYPE_TAGS = [
  'type:app',
  'type:feature',
  'type:domain',
  'type:adapter',
  'type:sdk',
  'type:testing',
  'type:suite',
  'type:web',
] as const;
type TypeTag = (typeof TYPE_TAGS)[number];

// Any project's tests may use the test harness (type:testing); ESLint keeps it out of non-test files.
const MAY_DEPEND_ON: Record<TypeTag, readonly TypeTag[]> = {
  'type:app': ['type:feature', 'type:domain', 'type:adapter', 'type:sdk', 'type:testing'],
  'type:feature': ['type:domain', 'type:adapter', 'type:sdk', 'type:testing'],
  'type:adapter': ['type:domain', 'type:adapter', 'type:testing'],
  'type:sdk': ['type:domain', 'type:testing'],
  'type:domain': ['type:domain', 'type:testing'],
  'type:testing': ['type:domain', 'type:adapter', 'type:sdk', 'type:testing'],
  // Suites that run the platform (the benchmarks): nothing depends on them.
  'type:suite': ['type:feature', 'type:domain', 'type:adapter', 'type:sdk', 'type:testing'],
  // Pages bundled for the browser (the explorer): the domain's types and browser-safe code only.
  'type:web': ['type:domain', 'type:web', 'type:testing'],
};

let graph: ProjectGraph;
beforeAll(async () => {
  graph = await createProjectGraphAsync({ exitOnError: false });
});

const typeOf = (project: string): TypeTag | undefined =>
  graph.nodes[project]?.data.tags?.find((tag): tag is TypeTag => (TYPE_TAGS as readonly string[]).includes(tag));

const workspaceProjects = () => Object.keys(graph.nodes);
// Code dependencies (imports). Implicit ones are declared, not imported: the e2e suites run the apps as processes.
const internalDependencies = (project: string) =>
  (graph.dependencies[project] ?? [])
    .filter((d) => d.type !== 'implicit')
    .map((d) => d.target)
    .filter((target) => target in graph.nodes);

describe('workspace architecture', () => {
  it('has the contract and integrity libs', () => {
    expect(workspaceProjects()).toEqual(expect.arrayContaining(['contracts', 'integrity']));
  });

  it('gives every project exactly one type tag, and apps the app tag', () => {
    for (const project of workspaceProjects()) {
      const node = graph.nodes[project];
      const typeTags = (node.data.tags ?? []).filter((tag) => tag.startsWith('type:'));
      expect({ project, typeTags }).toEqual({ project, typeTags: [expect.stringMatching(/^type:/)] });
      expect({ project, isApp: node.type === 'app' }).toEqual({ project, isApp: typeTags[0] === 'type:app' });
    }
  });

  it('never lets a project depend on an app', () => {
    const onApps = workspaceProjects().flatMap((project) =>
      internalDependencies(project)
        .filter((target) => graph.nodes[target].type === 'app')
        .map((target) => `${project} -> ${target}`),
    );
    expect(onApps).toEqual([]);
  });

  it('keeps every dependency within what its type may use', () => {
    const violations = workspaceProjects().flatMap((project) => {
      const source = typeOf(project);
      return internalDependencies(project)
        .filter((target) => !source || !MAY_DEPEND_ON[source].includes(typeOf(target) as TypeTag))
        .map((target) => `${project} (${source}) -> ${target} (${typeOf(target)})`);
    });
    expect(violations).toEqual([]);
  });
});
