/**
 * The scale bench's generated platform (bench/scale.ts), in a module of its own so tests can use it
 * without running the bench: three-tier-eks's shape with N apps in namespaces of ten, app i talking to
 * app i+1 (every tenth also to the database), and the intent `from "*" to cluster/nodes:22 only [...]`.
 */
/** The generated spec: the same for a given N, so every run measures the same platform. */
export function scaleSpec(apps: number): string {
  const lines = [
    'platform: { name: scale, region: ap-northeast-2, account: "111122223333", environment: prod }',
    'network:',
    '  cidr: 10.0.0.0/16',
    '  azs: [ap-northeast-2a, ap-northeast-2c]',
    '  subnets:',
    '    public:  { cidrs: [10.0.1.0/24, 10.0.2.0/24] }',
    '    private: { cidrs: [10.0.16.0/20, 10.0.32.0/20] }',
    '  nat: single',
    'access:',
    '  management:',
    '    mgmt: { iamActions: [eks:DescribeCluster] }',
    'data:',
    '  databases:',
    '    main: { engine: postgres, version: "16", instanceClass: db.t3.micro, databaseName: app, allowFrom: [cluster/nodes] }',
    'registry:',
    '  repositories:',
    '    app: {}',
    'cluster:',
    '  name: scale',
    '  version: "1.36"',
    '  apiFrom: [mgmt/mgmt]',
    '  admins: [mgmt/mgmt]',
    '  nodeGroups:',
    '    app: { instanceTypes: [m6i.xlarge], size: { min: 3, max: 30 } }',
    'apps:',
  ];
  const ns = (i: number) => `team${Math.floor(i / 10)}`;
  for (let i = 0; i < apps; i++) {
    const talks = [`apps/app${(i + 1) % apps}`, ...(i % 10 === 0 ? ['db/main'] : [])];
    lines.push(
      `  app${i}:`,
      '    image: registry/app:1.0.0',
      `    namespace: ${ns(i)}`,
      '    replicas: 2',
      '    port: 8080',
      '    readiness: { path: /healthz }',
      `    talksTo: [${talks.join(', ')}]`,
    );
  }
  lines.push(
    'intents:',
    '  - name: SSH to the nodes only from the management host and the nodes',
    '    from: "*"',
    '    to: cluster/nodes:22',
    '    only: [mgmt/mgmt, cluster/nodes]',
    '  - name: the database only from the nodes',
    '    from: "*"',
    '    to: db/main',
    '    only: [cluster/nodes:5432]',
    '',
  );
  return lines.join('\n');
}

