/**
 * access.bastion.tools (issue 13, seed 001): kubectl and the AWS CLI on a bastion whose egress stays in
 * the VPC. The plan refuses what could not work, the template grants exactly the one kubectl object,
 * the user data is shellcheck-clean and checks the SHA-256 before installing, and verify finds the path.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimatePaths } from '../../src/analyse/cost/index.js';
import { readAssembly } from '../../src/analyse/input/templates.js';
import { buildModel } from '../../src/analyse/model/build.js';
import { Engine } from '../../src/analyse/model/engine/reach.js';
import { witnessOf } from '../../src/analyse/verify/findings.js';
import { verifyTemplates } from '../../src/analyse/verify/index.js';
import { readManifests } from '../../src/analyse/model/k8s.js';
import { buildPlatformApp } from '../../src/aws/app.js';
import { lintIt, shellcheck } from '../shellcheck.js';
import { kubectlBundle } from '../../src/aws/bastion-kubectl.js';
import { renderBastionTools, type BastionToolsScript } from '../../src/aws/user-data/bastion-tools.js';
import { scriptOf } from '../../src/aws/user-data/every-boot.js';
import { SpecError } from '../../src/spec/diagnostics.js';
import { assemblyOf, monthlyOf, NOW, P, resource } from '../cost/support.js';
import { exampleAssembly } from '../shared-assemblies.js';
import { examplePlan, planFromYaml } from '../support.js';

const BASE = `platform: { name: t, region: ap-northeast-2 }
network: { cidr: 10.0.0.0/16, azs: 2 }
`;
const CLUSTER = `cluster:
  apiFrom: [bastion]
  admins: [bastion]
  nodeGroups: { default: { instanceTypes: [t3.large] } }
`;
const bastion = (fields: string) => `access:\n  bastion: { ${fields} }\n`;

function errorsOf(yaml: string): string[] {
  try {
    planFromYaml(yaml);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`);
    throw e;
  }
}

describe('planning the bastion\'s tools', () => {
  it('adds the eks and s3 interface endpoints only when the bastion\'s egress stays in the VPC', () => {
    // GIVEN the same bastion with kubectl, once with egress: vpc and once with the default egress
    const closed = planFromYaml(BASE + bastion('egress: vpc, tools: [aws-cli, kubectl]') + CLUSTER);
    const open = planFromYaml(BASE + bastion('tools: [aws-cli, kubectl]') + CLUSTER);
    // THEN only the closed one gets endpoints, and the vpc-endpoints group admits the VPC on 443
    expect(closed.bastion?.tools).toEqual(['aws-cli', 'kubectl']);
    expect(closed.network.interfaceEndpoints).toEqual(['eks', 's3']);
    expect(closed.flows.some((f) => f.from === 'vpc' && f.to === 'vpc-endpoints')).toBe(true);
    expect(open.network.interfaceEndpoints).toEqual([]);
  });

  it('keeps endpoints the spec lists itself, once', () => {
    const p = planFromYaml(BASE.replace('azs: 2 }', 'azs: 2, endpoints: { interface: [ssm, eks] } }') + bastion('egress: vpc, tools: [aws-cli, kubectl]') + CLUSTER);
    expect(p.network.interfaceEndpoints).toEqual(['ssm', 'eks', 's3']);
  });

  it('Noncompliance: refuses tools that could not work, each at its own spec path', () => {
    expect(errorsOf(BASE + bastion('tools: [kubectl, aws-cli]'))).toEqual(['E_BASTION_KUBECTL_NO_CLUSTER access.bastion.tools.0']);
    expect(errorsOf(BASE + bastion('tools: [kubectl]') + CLUSTER)).toEqual(['E_BASTION_KUBECTL_NEEDS_AWS_CLI access.bastion.tools.0']);
    expect(errorsOf(BASE + bastion('tools: [aws-cli, kubectl]') + CLUSTER.replace('apiFrom: [bastion]', 'apiFrom: []')))
      .toContain('E_BASTION_KUBECTL_NO_API_PATH access.bastion.tools.1');
    expect(errorsOf(BASE + bastion('instanceType: t4g.micro, tools: [aws-cli, kubectl]') + CLUSTER)).toEqual(['E_BASTION_TOOLS_ARCH access.bastion.instanceType']);
    expect(errorsOf(BASE + bastion('ami: ubuntu-24.04, tools: [aws-cli]'))).toEqual(['E_BASTION_TOOLS_AMI access.bastion.ami']);
    expect(errorsOf(BASE + bastion('userData: bin/plinth.js, tools: [aws-cli]'))).toEqual(['E_BASTION_TOOLS_USER_DATA access.bastion.userData']);
  });

  it('Compliance: the AWS CLI alone needs no cluster and adds no endpoint', () => {
    const p = planFromYaml(BASE + bastion('egress: vpc, tools: [aws-cli]'));
    expect(p.bastion?.tools).toEqual(['aws-cli']);
    expect(p.network.interfaceEndpoints).toEqual([]);
  });
});

describe('nemo-v3\'s bastion in the templates', () => {
  let network: Template;
  let compute: Template;
  let cluster: Template;
  beforeAll(() => {
    const stacks = buildPlatformApp(examplePlan('nemo-v3'), { nag: false });
    network = Template.fromStack(stacks.network);
    compute = Template.fromStack(stacks.compute!);
    cluster = Template.fromStack(stacks.cluster!);
  });

  const bastionPolicy = () => {
    const policies = Object.entries(compute.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('HostsBastionRole'));
    expect(policies).toHaveLength(1);
    return (policies[0]![1] as any).Properties.PolicyDocument.Statement as any[];
  };

  it('grants the bastion role exactly the one kubectl object, the one the cluster\'s kubectl layer uses', () => {
    const statements = bastionPolicy();
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([['KubectlAsset', 's3:GetObject'], ['UpdateKubeconfig', 'eks:DescribeCluster']]);
    const objectArn = JSON.stringify(statements[0].Resource);
    const key = /assets-111122223333-ap-northeast-2\/([0-9a-f]{64}\.zip)/.exec(objectArn)?.[1];
    expect(key, objectArn).toBeDefined();
    expect(objectArn).not.toContain('*');
    // The layer of the cluster's kubectl provider names the same object: CDK uploads it once.
    const layer = Object.values(cluster.findResources('AWS::Lambda::LayerVersion')).map((l: any) => JSON.stringify(l.Properties.Content));
    expect(layer.some((content) => content.includes(key!))).toBe(true);
    expect(JSON.stringify(statements[1].Resource)).toContain(':cluster/nemo_EKS_kluster');
  });

  it('pins the SHA-256 of the layer zip it ships, and installs kubectl of the layer the calendar names', () => {
    const bundle = kubectlBundle('1.33');
    expect(bundle.sha256).toBe(createHash('sha256').update(readFileSync(bundle.zipPath)).digest('hex'));
    expect(bundle.version).toMatch(/^1\.34\.\d+$/);
    const userData = JSON.stringify(Object.values(compute.findResources('AWS::EC2::Instance')).find((i: any) => JSON.stringify(i.Properties.Tags).includes('nemo-bastion')));
    expect(userData).toContain(`kubectl_layer_sha256='${bundle.sha256}'`);
    expect(userData).toContain('S3InterfaceE9294F89DnsEntries');
  });

  it('finds kubectl in the layer package of every Kubernetes version of the calendar, one minor ahead at most', () => {
    for (const version of ['1.32', '1.33', '1.34', '1.35', '1.36'] as const) {
      const [major, minor] = kubectlBundle(version).version.split('.').map(Number);
      const clusterMinor = Number(version.split('.')[1]);
      expect(major, version).toBe(1);
      expect(minor! - clusterMinor, version).toBeGreaterThanOrEqual(0);
      expect(minor! - clusterMinor, version).toBeLessThanOrEqual(1);
    }
  });

  it('creates the eks endpoint with private DNS and the s3 one without (the gateway keeps the VPC\'s S3 traffic)', () => {
    network.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.ap-northeast-2.eks', VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    network.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.ap-northeast-2.s3', VpcEndpointType: 'Interface', PrivateDnsEnabled: false });
    expect(Object.values(network.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }))).toHaveLength(1);
  });
});

describe('the bastion\'s user data', () => {
  const kubectl: NonNullable<BastionToolsScript['kubectl']> = {
    clusterName: 'nemo_EKS_kluster', bucket: 'cdk-hnb659fds-assets-111122223333-ap-northeast-2', key: `${'a'.repeat(64)}.zip`,
    sha256: 'b'.repeat(64), version: '1.34.5',
    s3EndpointDnsEntries: 'Z7HUB22UULQXV:*.vpce-0a1b2c3d4e5f67890-abcd1234.s3.ap-northeast-2.vpce.amazonaws.com,Z7HUB22UULQXV:*.vpce-0a1b2c3d4e5f67890-abcd1234-ap-northeast-2a.s3.ap-northeast-2.vpce.amazonaws.com',
  };
  const closed = renderBastionTools({ region: 'ap-northeast-2', kubectl });
  const open = renderBastionTools({ region: 'ap-northeast-2', kubectl: { ...kubectl, s3EndpointDnsEntries: undefined } });

  it('checks the image\'s AWS CLI, copies through the endpoint, verifies the SHA-256, then installs, then writes the kubeconfig', () => {
    const order = ['command -v aws', 's3_url=$(s3_endpoint_url)', 'aws s3 cp', 'sha256sum --check', 'install -m 0755 "$tmp/kubectl" /usr/local/bin/kubectl', 'aws eks update-kubeconfig']
      .map((step) => closed.indexOf(step));
    expect(order.every((at) => at >= 0), String(order)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(closed).toContain('--endpoint-url "$s3_url"');
    expect(closed).not.toMatch(/curl|wget|https:\/\/(?!bucket\.)/);
  });

  it('reaches S3 directly when the bastion\'s egress is open', () => {
    expect(open).not.toContain('endpoint-url');
    expect(open).toContain("aws s3 cp --only-show-errors --region 'ap-northeast-2' 's3://cdk-hnb659fds-assets-111122223333-ap-northeast-2/");
  });

  it('picks the regional endpoint name, not a zonal one', () => {
    const fn = /s3_endpoint_url\(\) \{[\s\S]*?\n\}/.exec(closed)![0];
    const url = execFileSync('bash', ['-c', `${fn}\ns3_endpoint_url`], { encoding: 'utf8' }).trim();
    expect(url).toBe('https://bucket.vpce-0a1b2c3d4e5f67890-abcd1234.s3.ap-northeast-2.vpce.amazonaws.com');
  });

  it('installs nothing but checks the CLI when there is no kubectl', () => {
    const cliOnly = renderBastionTools({ region: 'eu-west-1' });
    expect(cliOnly).toContain("export AWS_DEFAULT_REGION='eu-west-1'");
    expect(cliOnly).not.toContain('kubectl');
  });

  lintIt('passes shellcheck in every variant, as rendered in nemo-v3', () => {
    expect(shellcheck('closed.sh', closed)).toBe('');
    expect(shellcheck('open.sh', open)).toBe('');
    expect(shellcheck('cli-only.sh', renderBastionTools({ region: 'eu-west-1' }))).toBe('');
    const compute = readAssembly(exampleAssembly('nemo-v3')).find((t) => t.stack === 'Compute')!;
    const instance = Object.values(compute.body.Resources!).find((r: any) => r.Type === 'AWS::EC2::Instance' && JSON.stringify(r.Properties.Tags).includes('nemo-bastion')) as any;
    const parts = instance.Properties.UserData['Fn::Base64']['Fn::Join'][1] as unknown[];
    const literal = parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
    expect(shellcheck('nemo-bastion.sh', scriptOf(literal))).toBe('');
  });
});

describe('verify: the bastion reaches the API and the endpoints its tools use', () => {
  const outdir = () => exampleAssembly('nemo-v3');

  it('finds a path from the bastion to the private API endpoint and to the interface endpoints on 443, with its hops', () => {
    const model = buildModel(readAssembly(outdir()), {});
    const engine = new Engine(model);
    const cls = (name: string) => model.classes.find((c) => c.name === name)!;
    for (const to of ['cluster/controlPlane', 'vpc-endpoints']) {
      const reach = engine.reach({ kind: 'class', cls: cls('bastion') }, { kind: 'class', cls: cls(to) });
      const witness = witnessOf(reach, reach.allowed.sure, [443]);
      expect(witness, to).toBeDefined();
      expect(witness!.packet).toMatch(/^tcp\/443 /);
      const hops = witness!.hops.map((h) => h.verdict.text).join('\n');
      expect(hops).toContain('bastion egress stays inside the VPC');
      expect(hops).toMatch(to === 'vpc-endpoints' ? /AWS APIs through interface endpoints/ : /Kubernetes API clients/);
    }
  });

  it('Noncompliance: without the bastion\'s egress rule, the intent fails and says what blocks it', () => {
    const templates = readAssembly(outdir()).map((t) => ({ ...t, body: structuredClone(t.body) }));
    const networkStack = templates.find((t) => t.stack === 'Network')!;
    const group = Object.entries(networkStack.body.Resources!).find(([id]) => id.startsWith('NetworkSecurityGroupsBastion') && !id.includes('from'))![1] as any;
    // An empty list would mean CloudFormation's default allow-all; this keeps the bastion to its own subnet.
    group.Properties.SecurityGroupEgress = [{ IpProtocol: '-1', CidrIp: '10.0.1.0/24', Description: 'the bastion\'s own subnet only' }];
    const report = verifyTemplates(templates, { plan: examplePlan('nemo-v3'), k8s: readManifests(join(outdir(), 'k8s')) });
    const failed = report.findings.filter((f) => f.ruleId === 'PI4' && f.message.includes('kubectl on the bastion'));
    expect(failed.length).toBeGreaterThan(0);
    expect(JSON.stringify(failed[0]!.blocked)).toMatch(/NetworkSecurityGroupsBastion/);
  });
});

describe('cost: the endpoints the bastion\'s tools add are priced', () => {
  it('prices the eks and s3 interface endpoints per AZ-hour plus the data they process', () => {
    // GIVEN nemo-v3, whose endpoints tier (private) spans 3 AZs, and the usage file's default 10 GB
    const e = estimatePaths([assemblyOf('nemo-v3')], { now: NOW });
    for (const id of ['NetworkEndpointsEks11086CDE', 'NetworkEndpointsS3InterfaceE9294F89']) {
      expect(monthlyOf(resource(e, id))).toBeCloseTo(3 * 730 * P('vpc.interfaceEndpoint.hour') + 10 * P('vpc.interfaceEndpoint.gb'), 4);
    }
  });
});
