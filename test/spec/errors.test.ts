/**
 * Realistic mistakes in plinth.yaml, one per row. Each must come back as a SpecError (never another
 * exception) holding one diagnostic with a stable code, the spec path, the file position of the
 * mistake, and something in `allowed` or `fix` that tells the user what to write instead.
 *
 * `»` marks where the diagnostic must point; it is removed before the YAML is parsed, and the
 * expected line and column are computed from where it stood.
 */
import { describe, expect, it } from 'vitest';
import { didYouMean, formatDiagnostic, formatPath, SpecError, type Diagnostic } from '../../src/spec/diagnostics.js';
import { parseYamlSpec } from '../../src/spec/load.js';
import { planSpec } from '../../src/plan/load.js';
import { withReachableCluster } from '../reachable-cluster.js';

const MARK = '»';

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ ]*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

const indent = (text: string, by: number) => text.replace(/^(?=.)/gm, ' '.repeat(by));

const HEAD = 'platform:\n  name: demo\n  region: ap-northeast-2\n';

/**
 * The smallest valid spec (two AZs, default tiers), plus more network keys and more sections. A cluster
 * section gets what makes it reachable (test/reachable-cluster.ts), so a cluster row fails for its own
 * mistake only, not also with E_CLUSTER_UNREACHABLE.
 */
function spec(sections = '', network = ''): string {
  return withReachableCluster(`${HEAD}network:\n  cidr: 10.0.0.0/16\n  azs: 2\n${indent(dedent(network), 2)}${dedent(sections)}`);
}

/** The same, with the network's tiers written out. */
function specWithTiers(tiers: string, sections = '', network = ''): string {
  return spec(sections, `${dedent(network)}subnets:\n${indent(dedent(tiers), 2)}`);
}

const SERVER_CERT = 'arn:aws:acm:ap-northeast-2:111122223333:certificate/server';
const CLIENT_ROOT_CERT = 'arn:aws:acm:ap-northeast-2:111122223333:certificate/client-root';

interface Case {
  /** The mistake, as a user would describe it. */
  readonly mistake: string;
  /** The spec text with one `»` where the diagnostic must point. */
  readonly yaml: string;
  readonly code: string;
  /** The formatted spec path. */
  readonly path: string;
  /** Must appear in `allowed` or `fix`. */
  readonly hint: string | RegExp;
  /** Must appear in the message, where its wording once went wrong. */
  readonly says?: string;
  /** Other codes expected alongside, for mistakes that are really two. */
  readonly also?: readonly string[];
  /** Files next to the spec (user data). */
  readonly files?: Readonly<Record<string, string>>;
}

const CASES: readonly Case[] = [
  // --- unknown keys, at every level, with "did you mean" ---------------------------------------
  {
    mistake: 'top-level "server" for "servers"',
    yaml: spec(`
      »server:
        web: {}
    `),
    code: 'E_UNKNOWN_KEY', path: 'server', hint: 'did you mean "servers"?',
  },
  {
    mistake: 'platform "regoin" for "region"',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
        »regoin: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        azs: 2
    `),
    code: 'E_UNKNOWN_KEY', path: 'platform.regoin', hint: 'did you mean "region"?',
  },
  {
    mistake: 'network "subnet" for "subnets"',
    yaml: spec('', `
      »subnet:
        public: {}
    `),
    code: 'E_UNKNOWN_KEY', path: 'network.subnet', hint: 'did you mean "subnets"?',
  },
  {
    mistake: 'network "natt", one letter too many',
    yaml: spec('', `
      »natt: single
    `),
    code: 'E_UNKNOWN_KEY', path: 'network.natt', hint: 'did you mean "nat"?',
  },
  {
    mistake: 'tier "cidr" for "cidrs"',
    yaml: specWithTiers(`
      public: { »cidr: 10.0.1.0/24 }
      private: {}
    `),
    code: 'E_UNKNOWN_KEY', path: 'network.subnets.public.cidr', hint: 'did you mean "cidrs"?',
  },
  {
    mistake: 'flow logs "retention" for "retentionDays"',
    yaml: spec('', `
      flowLogs: { »retention: 30 }
    `),
    code: 'E_UNKNOWN_KEY', path: 'network.flowLogs.retention', hint: 'did you mean "retentionDays"?',
  },
  {
    mistake: 'server "instancetype" in lower case',
    yaml: spec(`
      servers:
        web:
          »instancetype: t3.micro
    `),
    code: 'E_UNKNOWN_KEY', path: 'servers.web.instancetype', hint: 'did you mean "instanceType"?',
  },
  {
    mistake: 'server "alowFrom" with one l',
    yaml: spec(`
      servers:
        web:
          ports: [80]
          »alowFrom: [vpc]
    `),
    code: 'E_UNKNOWN_KEY', path: 'servers.web.alowFrom', hint: 'did you mean "allowFrom"?',
  },
  {
    mistake: 'bastion "sshfrom" in lower case',
    yaml: spec(`
      access:
        bastion:
          »sshfrom: ["cidr:203.0.113.7/32"]
    `),
    code: 'E_UNKNOWN_KEY', path: 'access.bastion.sshfrom', hint: 'did you mean "sshFrom"?',
  },
  {
    mistake: 'database "multiAZ" for "multiAz"',
    yaml: spec(`
      data:
        databases:
          main:
            engine: mysql
            version: "8.0"
            »multiAZ: true
    `),
    code: 'E_UNKNOWN_KEY', path: 'data.databases.main.multiAZ', hint: 'did you mean "multiAz"?',
  },
  {
    mistake: 'load balancer "listener" for "listeners"',
    yaml: spec(`
      servers:
        web: { ports: [80] }
      loadBalancers:
        web:
          »listener: [{ port: 80, targetGroup: web }]
          targetGroups:
            web: { servers: [web], port: 80 }
    `),
    code: 'E_UNKNOWN_KEY', path: 'loadBalancers.web.listener', hint: 'did you mean "listeners"?',
  },
  {
    mistake: 'target group "healthcheck" in lower case',
    yaml: spec(`
      servers:
        web: { ports: [80] }
      loadBalancers:
        web:
          listeners: [{ port: 80, targetGroup: web }]
          targetGroups:
            web: { servers: [web], port: 80, »healthcheck: { path: /health } }
    `),
    code: 'E_UNKNOWN_KEY', path: 'loadBalancers.web.targetGroups.web.healthcheck', hint: 'did you mean "healthCheck"?',
  },
  {
    mistake: 'AMI given as { ssm } instead of { ssmParameter }',
    yaml: spec(`
      servers:
        web:
          ami: { »ssm: /aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id }
    `),
    code: 'E_UNKNOWN_KEY', path: 'servers.web.ami.ssm', hint: 'did you mean "ssmParameter"?',
    also: ['E_REQUIRED'],
  },

  // --- wrong types --------------------------------------------------------------------------
  {
    mistake: 'unquoted database version 8.0 (YAML reads the number 8)',
    yaml: spec(`
      data:
        databases:
          main:
            engine: mysql
            »version: 8.0
    `),
    code: 'E_TYPE', path: 'data.databases.main.version', hint: 'quote it',
  },
  {
    mistake: 'account id unquoted, read as a number',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
        »account: 111122223333
      network:
        cidr: 10.0.0.0/16
        azs: 2
    `),
    code: 'E_TYPE', path: 'platform.account', hint: 'quote it, e.g. "111122223333"',
  },
  {
    mistake: 'AZ count quoted as a string',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        »azs: "2"
    `),
    code: 'E_TYPE', path: 'network.azs', hint: 'a list, or a number',
  },
  {
    mistake: 'count written as a word',
    yaml: spec(`
      servers:
        web:
          »count: two
    `),
    code: 'E_TYPE', path: 'servers.web.count', hint: 'a number',
  },
  {
    mistake: 'subnet tiers as a list instead of a mapping',
    yaml: spec('', `
      »subnets:
        - public
        - private
    `),
    code: 'E_TYPE', path: 'network.subnets', hint: 'a mapping of names',
  },
  {
    mistake: 'ports as a single number instead of a list',
    yaml: spec(`
      servers:
        web:
          »ports: 80
    `),
    code: 'E_TYPE', path: 'servers.web.ports', hint: 'write a list, e.g. [80]',
  },
  {
    mistake: 'allowFrom as a single reference instead of a list',
    yaml: spec(`
      servers:
        web:
          ports: [80]
          »allowFrom: vpc
    `),
    code: 'E_TYPE', path: 'servers.web.allowFrom', hint: 'write a list, e.g. [vpc]',
  },
  {
    mistake: 'flow logs turned "on" (a string in YAML 1.2)',
    yaml: spec('', `
      »flowLogs: on
    `),
    code: 'E_TYPE', path: 'network.flowLogs', hint: 'true or false',
  },
  {
    mistake: 'a server key with nothing under it',
    yaml: spec(`
      servers:
        »web:
    `),
    code: 'E_TYPE', path: 'servers.web', hint: 'write a value after "web:"',
  },
  {
    mistake: 'allow written as a list of references instead of rules',
    yaml: spec(`
      servers:
        web:
          ports: [80]
          allow: [»vpc]
    `),
    code: 'E_TYPE', path: 'servers.web.allow[0]', hint: 'a mapping (key: value)',
  },

  // --- enum typos ---------------------------------------------------------------------------
  {
    mistake: 'nat "perAZ" for "perAz"',
    yaml: spec('', `
      »nat: perAZ
    `),
    code: 'E_VALUE', path: 'network.nat', hint: 'did you mean "perAz"?',
  },
  {
    mistake: 'engine "mysq"',
    yaml: spec(`
      data:
        databases:
          main:
            »engine: mysq
            version: "8.0"
    `),
    code: 'E_VALUE', path: 'data.databases.main.engine', hint: 'did you mean "mysql"?',
  },
  {
    mistake: 'scheme "public" for "internet-facing"',
    yaml: spec(`
      loadBalancers:
        web:
          »scheme: public
    `),
    code: 'E_VALUE', path: 'loadBalancers.web.scheme', hint: '"internet-facing", "internal"',
  },
  {
    mistake: 'AMI family without the minor version',
    yaml: spec(`
      servers:
        web:
          »ami: ubuntu-24
    `),
    code: 'E_VALUE', path: 'servers.web.ami', hint: 'did you mean "ubuntu-24.04"?',
  },
  {
    mistake: 'listener protocol in lower case',
    yaml: spec(`
      servers:
        web: { ports: [80] }
      loadBalancers:
        web:
          listeners: [{ port: 80, »protocol: http, targetGroup: web }]
          targetGroups:
            web: { servers: [web], port: 80 }
    `),
    code: 'E_VALUE', path: 'loadBalancers.web.listeners[0].protocol', hint: 'did you mean "HTTP"?',
  },
  {
    mistake: 'database without an engine',
    yaml: spec(`
      data:
        databases:
          »main:
            version: "16"
    `),
    code: 'E_REQUIRED', path: 'data.databases.main.engine', hint: '"mysql", "postgres"',
  },

  // --- CIDRs ----------------------------------------------------------------------------------
  {
    mistake: 'subnet CIDR with host bits',
    yaml: specWithTiers(`
      public: { cidrs: [»10.0.1.5/24, 10.0.2.0/24] }
      private: {}
    `),
    code: 'E_SUBNET_CIDR', path: 'network.subnets.public.cidrs[0]', hint: 'use 10.0.1.0/24',
  },
  {
    mistake: 'subnet CIDR with an octet out of range',
    yaml: specWithTiers(`
      public: { cidrs: [10.0.1.0/24, »10.0.300.0/24] }
      private: {}
    `),
    code: 'E_SUBNET_CIDR', path: 'network.subnets.public.cidrs[1]', hint: 'numbers in range',
  },
  {
    mistake: 'VPC CIDR without a prefix',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        »cidr: 10.0.0.0
        azs: 2
    `),
    code: 'E_FORMAT', path: 'network.cidr', hint: 'an IPv4 CIDR such as 10.0.0.0/16',
  },
  {
    mistake: 'VPC larger than /16',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        »cidr: 10.0.0.0/8
        azs: 2
    `),
    code: 'E_VPC_CIDR', path: 'network.cidr', hint: '/16 to /28',
    says: 'a VPC can be at most /16',
  },
  {
    mistake: 'VPC CIDR with host bits',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        »cidr: 10.0.0.1/16
        azs: 2
    `),
    code: 'E_VPC_CIDR', path: 'network.cidr', hint: 'use 10.0.0.0/16',
  },
  {
    mistake: 'subnet outside the VPC',
    yaml: specWithTiers(`
      public: {}
      private: { cidrs: [10.0.11.0/24, »10.1.12.0/24] }
    `),
    code: 'E_SUBNET_OUTSIDE_VPC', path: 'network.subnets.private.cidrs[1]', hint: 'a CIDR inside 10.0.0.0/16',
  },
  {
    mistake: 'two tiers with overlapping subnets',
    yaml: specWithTiers(`
      public: { cidrs: [10.0.0.0/24, 10.0.1.0/24] }
      private: { cidrs: [»10.0.0.0/20, 10.0.16.0/20] }
    `),
    code: 'E_SUBNET_OVERLAP', path: 'network.subnets.private.cidrs[0]', hint: 'its own range',
    says: 'overlaps 10.0.0.0/24 (network.subnets.public.cidrs[0])',
  },
  {
    mistake: 'more CIDRs than AZs',
    yaml: specWithTiers(`
      public: {}
      private: { cidrs: [10.0.11.0/24, 10.0.12.0/24, »10.0.13.0/24] }
    `),
    code: 'E_TIER_CIDR_COUNT', path: 'network.subnets.private.cidrs[2]', hint: 'add AZs to network.azs',
  },
  {
    mistake: 'a subnet smaller than AWS allows',
    yaml: specWithTiers(`
      public: { cidrs: [10.0.1.0/28, »10.0.2.0/29] }
      private: {}
    `),
    code: 'E_SUBNET_SIZE', path: 'network.subnets.public.cidrs[1]', hint: '/16 and /28',
  },
  {
    mistake: 'carving mask too small for a subnet',
    yaml: specWithTiers(`
      public: { »mask: 30 }
      private: {}
    `),
    code: 'E_RANGE', path: 'network.subnets.public.mask', hint: 'at most 28',
  },

  // --- AZs ----------------------------------------------------------------------------------
  {
    mistake: 'more AZs than the region has in the table',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        »azs: 5
    `),
    code: 'E_AZ_COUNT', path: 'network.azs', hint: 'ap-northeast-2d',
  },
  {
    mistake: 'an AZ count in a region without a table entry',
    yaml: dedent(`
      platform:
        name: demo
        region: us-west-1
      network:
        cidr: 10.0.0.0/16
        »azs: 2
    `),
    code: 'E_AZ_COUNT_UNKNOWN_REGION', path: 'network.azs', hint: 'azs: [us-west-1a, us-west-1b]',
  },
  {
    mistake: 'an AZ of another region',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        azs: [ap-northeast-2a, »us-east-1b]
    `),
    code: 'E_AZ_NAME', path: 'network.azs[1]', hint: 'ap-northeast-2a',
  },
  {
    mistake: 'the same AZ twice',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        azs: [ap-northeast-2a, ap-northeast-2c, »ap-northeast-2a]
    `),
    code: 'E_AZ_DUPLICATE', path: 'network.azs[2]', hint: 'list each AZ once',
  },
  {
    mistake: 'a tier in an AZ the network does not use',
    yaml: specWithTiers(`
      public: { azs: [ap-northeast-2a, »ap-northeast-2c] }
      private: {}
    `),
    code: 'E_TIER_AZ', path: 'network.subnets.public.azs[1]', hint: 'ap-northeast-2a, ap-northeast-2b',
  },
  {
    mistake: 'a server pinned to an AZ its tier does not span',
    yaml: spec(`
      servers:
        web:
          azs: [»ap-northeast-2c]
    `),
    code: 'E_INSTANCE_AZ', path: 'servers.web.azs[0]', hint: 'ap-northeast-2a, ap-northeast-2b',
  },
  {
    mistake: 'a VPC too small for the default tiers',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        »cidr: 10.0.0.0/23
        azs: 2
    `),
    code: 'E_VPC_FULL', path: 'network.cidr', hint: 'widen network.cidr',
  },

  // --- remote administration and public data -------------------------------------------------
  {
    mistake: 'SSH to the bastion from cidr:0.0.0.0/0',
    yaml: spec(`
      access:
        bastion:
          sshFrom: [»"cidr:0.0.0.0/0"]
    `),
    code: 'E_SSH_FROM_INTERNET', path: 'access.bastion.sshFrom[0]', hint: 'cidr:A.B.C.D/32',
  },
  {
    mistake: 'SSH to a public server from internet',
    yaml: spec(`
      servers:
        web:
          tier: public
          elasticIp: true
          sshFrom: [»internet]
    `),
    code: 'E_SSH_FROM_INTERNET', path: 'servers.web.sshFrom[0]', hint: 'SSM Session Manager',
  },
  {
    mistake: 'an allow rule opening 22 to the internet',
    yaml: spec(`
      servers:
        web:
          tier: public
          elasticIp: true
          allow:
            - »{ from: internet, ports: [22] }
    `),
    code: 'E_SSH_FROM_INTERNET', path: 'servers.web.allow[0]', hint: 'vpn, bastion or vpc',
  },
  {
    mistake: 'RDP (3389) open to 0.0.0.0/0',
    yaml: spec(`
      servers:
        win:
          tier: public
          elasticIp: true
          allow:
            - »{ from: "cidr:0.0.0.0/0", ports: [3389] }
    `),
    code: 'E_SSH_FROM_INTERNET', path: 'servers.win.allow[0]', hint: 'cidr:A.B.C.D/32',
  },
  {
    mistake: 'a database open to the internet',
    yaml: spec(`
      data:
        databases:
          main:
            engine: postgres
            version: "16"
            allowFrom: [»internet]
    `),
    code: 'E_DATA_PUBLIC', path: 'data.databases.main.allowFrom[0]', hint: 'servers/NAME',
  },
  {
    mistake: 'a database open to every address written as a CIDR',
    yaml: spec(`
      data:
        databases:
          main:
            engine: postgres
            version: "16"
            allowFrom: [»cidr:0.0.0.0/0]
    `),
    code: 'E_DATA_PUBLIC', path: 'data.databases.main.allowFrom[0]', hint: 'servers/NAME',
  },
  {
    mistake: 'a file system open to the internet',
    yaml: spec(`
      data:
        fileSystems:
          shared:
            allowFrom: [»internet]
    `),
    code: 'E_DATA_PUBLIC', path: 'data.fileSystems.shared.allowFrom[0]', hint: 'not internet',
  },
  {
    mistake: 'internet allowed to a server without a public address',
    yaml: spec(`
      servers:
        web:
          ports: [8080]
          allowFrom: [»internet]
    `),
    code: 'E_INTERNET_TO_PRIVATE', path: 'servers.web.allowFrom[0]', hint: 'internet-facing load balancer',
  },
  {
    mistake: 'an internal load balancer allowing the internet',
    yaml: spec(`
      servers:
        web: { ports: [80] }
      loadBalancers:
        web:
          scheme: internal
          listeners: [{ port: 80, targetGroup: web }]
          targetGroups:
            web: { servers: [web], port: 80 }
          allow:
            - { »from: internet, ports: [80] }
    `),
    code: 'E_INTERNAL_LB_INTERNET', path: 'loadBalancers.web.allow[0].from', hint: 'scheme: internet-facing',
  },

  // --- references ---------------------------------------------------------------------------
  {
    mistake: 'allowFrom a server that does not exist',
    yaml: spec(`
      data:
        databases:
          main:
            engine: postgres
            version: "16"
            allowFrom: [»servers/web]
    `),
    code: 'E_UNKNOWN_REF', path: 'data.databases.main.allowFrom[0]', hint: 'define it under servers',
    says: 'there is no server "web"',
  },
  {
    mistake: 'a misspelled server in allowFrom',
    yaml: spec(`
      servers:
        api: { ports: [8000] }
        web:
          ports: [80]
          allowFrom: [»servers/apj]
    `),
    code: 'E_UNKNOWN_REF', path: 'servers.web.allowFrom[0]', hint: 'did you mean "servers/api"?',
  },
  {
    mistake: 'a database name that does not exist',
    yaml: spec(`
      servers:
        web:
          ports: [80]
          allowFrom: [»db/x]
      data:
        databases:
          main: { engine: postgres, version: "16" }
    `),
    code: 'E_UNKNOWN_REF', path: 'servers.web.allowFrom[0]', hint: 'db/main',
  },
  {
    mistake: 'a load balancer that does not exist',
    yaml: spec(`
      servers:
        web:
          ports: [80]
          allowFrom: [»lb/y]
    `),
    code: 'E_UNKNOWN_REF', path: 'servers.web.allowFrom[0]', hint: 'loadBalancers',
  },
  {
    mistake: 'a site that is not a VPN connection',
    yaml: spec(`
      servers:
        web:
          ports: [80]
          allowFrom: [»sites/z]
    `),
    code: 'E_UNKNOWN_REF', path: 'servers.web.allowFrom[0]', hint: 'network.vpn',
  },
  {
    mistake: 'sshFrom bastion without a bastion',
    yaml: spec(`
      servers:
        web:
          sshFrom: [»bastion]
    `),
    code: 'E_UNKNOWN_REF', path: 'servers.web.sshFrom[0]', hint: 'access.bastion',
  },
  {
    mistake: 'allowFrom vpn without a client VPN',
    yaml: spec(`
      servers:
        web:
          ports: [80]
          allowFrom: [»vpn]
    `),
    code: 'E_UNKNOWN_REF', path: 'servers.web.allowFrom[0]', hint: 'access.clientVpn',
  },
  {
    mistake: 'a reference with the wrong kind ("server/")',
    yaml: spec(`
      servers:
        api: { ports: [8000] }
        web:
          ports: [80]
          allowFrom: [»server/api]
    `),
    code: 'E_REF_SYNTAX', path: 'servers.web.allowFrom[0]', hint: 'did you mean "servers/api"?',
  },
  {
    mistake: 'a bare address range without "cidr:"',
    yaml: spec(`
      access:
        bastion:
          sshFrom: [»203.0.113.7/32]
    `),
    code: 'E_REF_SYNTAX', path: 'access.bastion.sshFrom[0]', hint: 'write "cidr:203.0.113.7/32"',
  },
  {
    mistake: 'an admin address written with a network prefix',
    yaml: spec(`
      access:
        bastion:
          sshFrom: [»"cidr:203.0.113.7/24"]
    `),
    code: 'E_REF_SYNTAX', path: 'access.bastion.sshFrom[0]', hint: '"cidr:203.0.113.7/32" for one address',
  },
  {
    mistake: 'a port suffix on a source',
    yaml: spec(`
      servers:
        api: { ports: [8000] }
        web:
          ports: [80]
          allowFrom: [»"servers/api:8080"]
    `),
    code: 'E_SOURCE_PORT', path: 'servers.web.allowFrom[0]', hint: 'write "servers/api"',
  },

  // --- ports ----------------------------------------------------------------------------------
  {
    mistake: 'a service port above 65535',
    yaml: spec(`
      servers:
        web:
          ports: [»70000]
    `),
    code: 'E_RANGE', path: 'servers.web.ports[0]', hint: 'at most 65535',
  },
  {
    mistake: 'a port range starting at 0',
    yaml: spec(`
      servers:
        web:
          allow:
            - { from: vpc, ports: [»"0-10"] }
    `),
    code: 'E_PORT', path: 'servers.web.allow[0].ports[0]', hint: '1-65535',
    says: 'ports are 1-65535',
  },
  {
    mistake: 'a port range written backwards',
    yaml: spec(`
      servers:
        web:
          allow:
            - { from: vpc, ports: [»"9000-8000"] }
    `),
    code: 'E_PORT', path: 'servers.web.allow[0].ports[0]', hint: 'write "8000-9000"',
  },
  {
    mistake: 'allowFrom on a server without service ports',
    yaml: spec(`
      servers:
        web:
          »allowFrom: [vpc]
    `),
    code: 'E_NO_PORTS', path: 'servers.web.allowFrom', hint: 'add ports: [...]',
  },

  // --- databases ------------------------------------------------------------------------------
  {
    mistake: 'a Multi-AZ database in a one-AZ network',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        azs: 1
      data:
        databases:
          main:
            engine: postgres
            version: "16"
            »multiAz: true
    `),
    code: 'E_DB_MULTI_AZ_ONE_AZ', path: 'data.databases.main.multiAz', hint: 'second AZ',
    says: 'spans only 1 AZ',
  },
  {
    mistake: 'a database version RDS no longer offers',
    yaml: spec(`
      data:
        databases:
          main:
            engine: postgres
            »version: "13"
    `),
    code: 'E_DB_VERSION', path: 'data.databases.main.version', hint: '14, 15, 16, 17',
  },
  {
    mistake: 'storage autoscaling ceiling not above the storage',
    yaml: spec(`
      data:
        databases:
          main:
            engine: mysql
            version: "8.4"
            storageGiB: 100
            »maxStorageGiB: 100
    `),
    code: 'E_DB_MAX_STORAGE', path: 'data.databases.main.maxStorageGiB', hint: 'raise maxStorageGiB',
  },
  {
    mistake: 'removal: destroy while deletion protection is on',
    yaml: spec(`
      data:
        databases:
          main:
            engine: mysql
            version: "8.4"
            »removal: destroy
    `),
    code: 'E_DB_DESTROY_PROTECTED', path: 'data.databases.main.removal', hint: 'deletionProtection: false',
  },

  // --- tiers and hosts ------------------------------------------------------------------------
  {
    mistake: 'an Elastic IP on a server in a private tier',
    yaml: spec(`
      servers:
        web:
          »elasticIp: true
    `),
    code: 'E_EIP_PRIVATE_TIER', path: 'servers.web.elasticIp', hint: 'public tier',
  },
  {
    mistake: 'a misspelled tier',
    yaml: spec(`
      servers:
        web:
          »tier: privte
    `),
    code: 'E_UNKNOWN_TIER', path: 'servers.web.tier', hint: 'did you mean "private"?',
  },
  {
    mistake: 'a bastion in a private tier',
    yaml: spec(`
      access:
        bastion:
          »tier: private
    `),
    code: 'E_TIER_TYPE', path: 'access.bastion.tier', hint: 'choose a public tier',
  },
  {
    mistake: 'an internet-facing load balancer in a private tier',
    yaml: spec(`
      servers:
        web: { ports: [80] }
      loadBalancers:
        web:
          »tier: private
          listeners: [{ port: 80, targetGroup: web }]
          targetGroups:
            web: { servers: [web], port: 80 }
    `),
    code: 'E_TIER_TYPE', path: 'loadBalancers.web.tier', hint: 'choose a public tier',
  },
  {
    mistake: 'a database in a public tier',
    yaml: spec(`
      data:
        databases:
          main: { engine: mysql, version: "8.4", »tier: public }
    `),
    code: 'E_TIER_TYPE', path: 'data.databases.main.tier', hint: 'choose an isolated or private tier',
    says: 'this needs an isolated or private tier',
  },
  {
    mistake: 'a custom tier without a type',
    yaml: specWithTiers(`
      public: {}
      »app: {}
    `),
    code: 'E_TIER_TYPE_MISSING', path: 'network.subnets.app', hint: 'add type: private',
  },
  {
    mistake: 'auto-assigned public IPs on a private tier',
    yaml: specWithTiers(`
      public: {}
      private: { »mapPublicIpOnLaunch: true }
    `),
    code: 'E_PUBLIC_IP_PRIVATE_TIER', path: 'network.subnets.private.mapPublicIpOnLaunch', hint: 'make the tier public',
  },
  {
    mistake: 'NAT gateways per AZ without a public tier',
    yaml: specWithTiers(`
      private: {}
    `, '', `
      »nat: perAz
    `),
    code: 'E_NAT_WITHOUT_PUBLIC', path: 'network.nat', hint: 'set nat: none',
    says: 'nat: perAz needs a public tier',
  },
  {
    mistake: 'only a private tier, so the default NAT gateway has nowhere to go',
    yaml: spec('', `
      »subnets:
        private: {}
    `),
    code: 'E_NAT_WITHOUT_PUBLIC', path: 'network.subnets', hint: 'make the private tiers isolated',
    says: 'nat: single by default',
  },
  {
    mistake: 'a user-data file that does not exist',
    yaml: spec(`
      servers:
        web:
          »userData: scripts/web.sh
    `),
    code: 'E_USER_DATA_MISSING', path: 'servers.web.userData', hint: 'relative to the spec file',
    files: { 'scripts/app.sh': '#!/bin/bash\n' },
  },
  {
    mistake: 'a user-data script over 16 KiB',
    yaml: spec(`
      servers:
        web:
          »userData: big.sh
    `),
    code: 'E_USER_DATA_SIZE', path: 'servers.web.userData', hint: 'S3',
    files: { 'big.sh': `#!/bin/bash\n${'echo plinth\n'.repeat(2000)}` },
  },

  // --- load balancers -------------------------------------------------------------------------
  {
    mistake: 'an ALB in a one-AZ network',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        azs: 1
      servers:
        web: { ports: [80] }
      loadBalancers:
        »web:
          listeners: [{ port: 80, targetGroup: web }]
          targetGroups:
            web: { servers: [web], port: 80 }
    `),
    code: 'E_ALB_ONE_AZ', path: 'loadBalancers.web.tier', hint: 'type: network',
  },
  {
    mistake: 'an HTTPS listener without a dns section',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        web:
          »listeners:
            - { port: 443, targetGroup: web }
          targetGroups:
            web: { servers: [web], port: 8080 }
    `),
    code: 'E_NO_CERTIFICATE', path: 'loadBalancers.web.listeners', hint: 'dns: { zone: example.com }',
  },
  {
    mistake: 'default listeners on an internet-facing ALB without a certificate',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        »web:
          targetGroups:
            web: { servers: [web], port: 8080 }
    `),
    code: 'E_ALB_NO_CERTIFICATE', path: 'loadBalancers.web', hint: 'protocol: HTTP',
  },
  {
    mistake: 'a listener with both targetGroup and redirectTo',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        web:
          listeners:
            - »{ port: 80, targetGroup: web, redirectTo: 443 }
          targetGroups:
            web: { servers: [web], port: 8080 }
    `),
    code: 'E_LISTENER_ACTION', path: 'loadBalancers.web.listeners[0]', hint: 'targetGroup: web',
  },
  {
    mistake: 'a listener with neither targetGroup nor redirectTo',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        web:
          listeners:
            - »{ port: 80 }
          targetGroups:
            web: { servers: [web], port: 8080 }
    `),
    code: 'E_LISTENER_ACTION', path: 'loadBalancers.web.listeners[0]', hint: 'add targetGroup: web',
  },
  {
    mistake: 'a listener forwarding to an unknown target group',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        web:
          listeners:
            - { port: 80, »targetGroup: wbe }
          targetGroups:
            web: { servers: [web], port: 8080 }
    `),
    code: 'E_UNKNOWN_TARGET_GROUP', path: 'loadBalancers.web.listeners[0].targetGroup', hint: 'did you mean "web"?',
  },
  {
    mistake: 'a target group naming an unknown server',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        web:
          listeners:
            - { port: 80, targetGroup: web }
          targetGroups:
            web: { servers: [»wbe], port: 8080 }
    `),
    code: 'E_UNKNOWN_SERVER', path: 'loadBalancers.web.targetGroups.web.servers[0]', hint: 'did you mean "web"?',
  },
  {
    mistake: 'an NLB without listeners',
    yaml: spec(`
      servers:
        db-proxy: { ports: [5432] }
      loadBalancers:
        »tcp:
          type: network
          targetGroups:
            proxy: { servers: [db-proxy], port: 5432 }
    `),
    code: 'E_NLB_LISTENERS', path: 'loadBalancers.tcp.listeners', hint: 'add listeners',
  },
  {
    mistake: 'an NLB listener speaking HTTP',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        tcp:
          type: network
          listeners:
            - { port: 80, »protocol: HTTP, targetGroup: web }
          targetGroups:
            web: { servers: [web], port: 8080 }
    `),
    code: 'E_LB_PROTOCOL', path: 'loadBalancers.tcp.listeners[0].protocol', hint: 'TCP, UDP, TLS',
  },
  {
    mistake: 'two listeners on one port',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        web:
          listeners:
            - { port: 80, targetGroup: web }
            - { »port: 80, targetGroup: web }
          targetGroups:
            web: { servers: [web], port: 8080 }
    `),
    code: 'E_LISTENER_PORT_DUPLICATE', path: 'loadBalancers.web.listeners[1].port', hint: 'its own port',
  },
  {
    mistake: 'an alias record outside the zone',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        web:
          targetGroups:
            web: { servers: [web], port: 8080 }
          dnsNames: [»www.example.org]
      dns:
        zone: example.com
    `),
    code: 'E_DNS_NAME_OUTSIDE_ZONE', path: 'loadBalancers.web.dnsNames[0]', hint: 'NAME.example.com',
  },
  {
    mistake: 'an alias record without a dns section',
    yaml: spec(`
      servers:
        web: { ports: [8080] }
      loadBalancers:
        web:
          listeners: [{ port: 80, targetGroup: web }]
          targetGroups:
            web: { servers: [web], port: 8080 }
          dnsNames: [»www.example.com]
    `),
    code: 'E_DNS_NAME_WITHOUT_ZONE', path: 'loadBalancers.web.dnsNames[0]', hint: 'add dns:',
  },

  // --- VPNs -----------------------------------------------------------------------------------
  {
    mistake: 'a client VPN pool inside the VPC',
    yaml: spec(`
      access:
        clientVpn:
          »clientCidr: 10.0.0.0/22
          serverCertificateArn: ${SERVER_CERT}
          clientRootCertificateArn: ${CLIENT_ROOT_CERT}
    `),
    code: 'E_VPN_POOL_OVERLAP', path: 'access.clientVpn.clientCidr', hint: 'outside the VPC',
  },
  {
    mistake: 'a client VPN pool smaller than /22',
    yaml: spec(`
      access:
        clientVpn:
          »clientCidr: 10.100.0.0/24
          serverCertificateArn: ${SERVER_CERT}
          clientRootCertificateArn: ${CLIENT_ROOT_CERT}
    `),
    code: 'E_VPN_POOL_SIZE', path: 'access.clientVpn.clientCidr', hint: '10.100.0.0/22',
  },
  {
    mistake: 'a site-to-site remote network overlapping the VPC',
    yaml: spec('', `
      vpn:
        office:
          customerGatewayIp: 203.0.113.1
          remoteCidrs: [192.168.0.0/16, »10.0.5.0/24]
    `),
    code: 'E_VPN_OVERLAP', path: 'network.vpn.office.remoteCidrs[1]', hint: 'non-overlapping range',
  },

  // --- YAML itself ----------------------------------------------------------------------------
  {
    mistake: 'a server defined twice',
    yaml: spec(`
      servers:
        web:
          ports: [80]
        »web:
          ports: [443]
    `),
    code: 'E_DUPLICATE_KEY', path: 'servers.web', hint: 'remove one of them',
  },
  {
    mistake: 'an unclosed flow list',
    yaml: spec(`
      servers:
        web:
          ports: »[80, 443
          count: 2
    `),
    code: 'E_YAML', path: '(root)', hint: 'close the "["',
  },
  {
    mistake: 'tabs for indentation',
    yaml: `${HEAD}network:\n»\tcidr: 10.0.0.0/16\n  azs: 2\n`,
    code: 'E_YAML', path: '(root)', hint: 'spaces',
  },
  {
    mistake: 'a CloudFormation !Ref in the spec',
    yaml: spec(`
      servers:
        web:
          keyPair: »!Ref KeyName
    `),
    code: 'E_YAML_TAG', path: 'servers.web.keyPair', hint: 'write the value itself',
  },
  {
    mistake: 'an alias to an anchor that is not defined',
    yaml: spec(`
      servers:
        web: »*defaults
    `),
    code: 'E_YAML', path: '(root)', hint: 'define each anchor',
  },
  {
    mistake: 'an empty file',
    yaml: `»`,
    code: 'E_EMPTY', path: '(root)', hint: 'plinth init',
  },
  {
    mistake: 'a file with only comments',
    yaml: `»# TODO: describe the platform\n`,
    code: 'E_EMPTY', path: '(root)', hint: 'plinth init',
  },

  // --- cluster and schedules ------------------------------------------------------------------
  {
    mistake: 'a Kubernetes version the bundled kubectl cannot drive',
    yaml: spec(`
      cluster:
        »version: "1.30"
    `),
    code: 'E_CLUSTER_VERSION', path: 'cluster.version', hint: '"1.32", "1.33", "1.34"',
  },
  {
    mistake: 'a Kubernetes version newer than plinth\'s kubectl',
    yaml: spec(`
      cluster:
        »version: "1.37"
    `),
    code: 'E_CLUSTER_VERSION', path: 'cluster.version', hint: 'the newest version in EKS standard support',
  },
  {
    mistake: 'an unquoted Kubernetes version',
    yaml: spec(`
      cluster:
        »version: 1.33
    `),
    code: 'E_TYPE', path: 'cluster.version', hint: 'quote it',
  },
  {
    mistake: 'cluster "nodegroups" in lower case',
    yaml: spec(`
      cluster:
        »nodegroups: {}
    `),
    code: 'E_UNKNOWN_KEY', path: 'cluster.nodegroups', hint: 'did you mean "nodeGroups"?',
  },
  {
    mistake: 'node group "instanceType" for "instanceTypes"',
    yaml: spec(`
      cluster:
        nodeGroups:
          main:
            »instanceType: t3.large
    `),
    code: 'E_UNKNOWN_KEY', path: 'cluster.nodeGroups.main.instanceType', hint: 'did you mean "instanceTypes"?',
    also: ['E_REQUIRED'],
  },
  {
    mistake: 'capacity "Spot" with a capital letter',
    yaml: spec(`
      cluster:
        nodeGroups:
          main:
            instanceTypes: [m6i.large, m5.large]
            »capacity: Spot
    `),
    code: 'E_VALUE', path: 'cluster.nodeGroups.main.capacity', hint: 'did you mean "spot"?',
  },
  {
    mistake: 'a cluster name with a dot',
    yaml: spec(`
      cluster:
        »name: nemo.cluster
    `),
    code: 'E_FORMAT', path: 'cluster.name', hint: 'EKS naming rules',
  },
  {
    mistake: 'a node group name with a dot',
    yaml: spec(`
      cluster:
        nodeGroups:
          main:
            instanceTypes: [t3.large]
            »name: nemo.node.group
    `),
    code: 'E_FORMAT', path: 'cluster.nodeGroups.main.name', hint: 'EKS node group naming rules',
  },
  {
    mistake: 'two node groups with the same name',
    yaml: spec(`
      cluster:
        nodeGroups:
          main:
            instanceTypes: [t3.large]
            name: nemo_node_group
          batch:
            instanceTypes: [m5.large]
            »name: nemo_node_group
    `),
    code: 'E_NODEGROUP_NAME_TAKEN', path: 'cluster.nodeGroups.batch.name', hint: 'another name', says: 'both named "nemo_node_group"',
  },
  {
    mistake: 'a GPU AMI type on a node group without GPUs',
    yaml: spec(`
      cluster:
        nodeGroups:
          gpu:
            instanceTypes: [t3.large]
            »amiType: AL2023_x86_64_NVIDIA
    `),
    code: 'E_NODEGROUP_AMI', path: 'cluster.nodeGroups.gpu.amiType', hint: 'AL2023_x86_64_STANDARD', says: 'no NVIDIA GPU',
  },
  {
    mistake: 'GPU instances with the standard AMI type',
    yaml: spec(`
      cluster:
        nodeGroups:
          gpu:
            instanceTypes: [g5.xlarge]
            »amiType: AL2023_x86_64_STANDARD
    `),
    code: 'E_NODEGROUP_AMI', path: 'cluster.nodeGroups.gpu.amiType', hint: 'AL2023_x86_64_NVIDIA', says: 'no GPU driver',
  },
  {
    mistake: 'Graviton instances with an x86 AMI type',
    yaml: spec(`
      cluster:
        nodeGroups:
          arm:
            instanceTypes: [m7g.large]
            »amiType: AL2023_x86_64_STANDARD
    `),
    code: 'E_NODEGROUP_AMI', path: 'cluster.nodeGroups.arm.amiType', hint: 'AL2023_ARM_64_STANDARD',
  },
  {
    mistake: 'x86 and Graviton instance types in one node group',
    yaml: spec(`
      cluster:
        nodeGroups:
          main:
            instanceTypes: [m6i.large, »m7g.large]
    `),
    code: 'E_NODEGROUP_MIXED_TYPES', path: 'cluster.nodeGroups.main.instanceTypes[1]', hint: 'node group of their own',
  },
  {
    mistake: 'a node group whose max is below its min',
    yaml: spec(`
      cluster:
        nodeGroups:
          main:
            instanceTypes: [t3.large]
            size: { min: 3, »max: 2 }
    `),
    code: 'E_NODEGROUP_SIZE', path: 'cluster.nodeGroups.main.size.max', hint: 'raise max to at least 3',
  },
  {
    mistake: 'a desired size above max',
    yaml: spec(`
      cluster:
        nodeGroups:
          main:
            instanceTypes: [t3.large]
            size: { min: 1, max: 3, »desired: 5 }
    `),
    code: 'E_NODEGROUP_SIZE', path: 'cluster.nodeGroups.main.size.desired', hint: 'between 1 and 3',
  },
  {
    mistake: 'a spot node group with one instance type',
    yaml: spec(`
      cluster:
        nodeGroups:
          batch:
            »instanceTypes: [m6i.large]
            capacity: spot
    `),
    code: 'E_SPOT_SINGLE_TYPE', path: 'cluster.nodeGroups.batch.instanceTypes', hint: '[m6i.large, m6a.large]',
  },
  {
    mistake: 'every node group starting with no nodes',
    yaml: spec(`
      cluster:
        »nodeGroups:
          main:
            instanceTypes: [t3.large]
            size: { min: 0, max: 2, desired: 0 }
    `),
    code: 'E_CLUSTER_NO_NODES', path: 'cluster.nodeGroups', hint: 'desired: 1',
  },
  {
    mistake: 'a control plane in a public tier',
    yaml: spec(`
      cluster:
        »tier: public
    `),
    code: 'E_TIER_TYPE', path: 'cluster.tier', hint: 'private',
  },
  {
    mistake: 'a cluster on a private tier in one AZ',
    yaml: specWithTiers(`
      public: {}
      private: { cidrs: [10.0.11.0/24] }
    `, `
      »cluster: {}
    `),
    code: 'E_CLUSTER_AZS', path: 'cluster', hint: 'second AZ',
  },
  {
    mistake: 'a public API endpoint open to the whole internet',
    yaml: spec(`
      cluster:
        endpointAccess: publicAndPrivate
        publicAccessCidrs: [»0.0.0.0/0]
    `),
    code: 'E_CLUSTER_ENDPOINT_OPEN', path: 'cluster.publicAccessCidrs[0]', hint: 'apiFrom',
  },
  {
    mistake: 'a public API endpoint without an allow-list',
    yaml: spec(`
      cluster:
        »endpointAccess: publicAndPrivate
    `),
    code: 'E_CLUSTER_PUBLIC_CIDRS', path: 'cluster.endpointAccess', hint: 'publicAccessCidrs',
  },
  {
    mistake: 'a team member written as a bare user name',
    yaml: spec(`
      cluster:
        teams:
          developer:
            members: [»jimin]
    `),
    code: 'E_PRINCIPAL', path: 'cluster.teams.developer.members[0]', hint: ':user/jimin',
  },
  {
    mistake: 'an admin given as an assumed-role session ARN',
    yaml: spec(`
      cluster:
        admins: [»"arn:aws:sts::111122223333:assumed-role/Admin/alice"]
    `),
    code: 'E_PRINCIPAL', path: 'cluster.admins[0]', hint: 'arn:aws:iam::111122223333:role/Admin',
  },
  {
    mistake: 'an admin naming a management host that does not exist',
    yaml: spec(`
      access:
        management:
          ops: {}
      cluster:
        admins: [»mgmt/opps]
    `),
    code: 'E_PRINCIPAL', path: 'cluster.admins[0]', hint: 'did you mean "mgmt/ops"?',
  },
  {
    mistake: 'a team in the kube-system namespace',
    yaml: spec(`
      cluster:
        teams:
          platform:
            namespaces: [»kube-system]
            members: ["arn:aws:iam::111122223333:role/Platform"]
    `),
    code: 'E_TEAM_NAMESPACE', path: 'cluster.teams.platform.namespaces[0]', hint: 'its own namespace',
  },
  {
    mistake: 'a NodePort rule on the nodes without ports',
    yaml: spec(`
      servers:
        ai: { ports: [8000] }
      cluster:
        nodes:
          allow: [»{ from: servers/ai }]
    `),
    code: 'E_NO_PORTS', path: 'cluster.nodes.allow[0].ports', hint: 'ports',
  },
  {
    mistake: 'a database allowing "cluster/node" for "cluster/nodes"',
    yaml: spec(`
      cluster: {}
      data:
        databases:
          main:
            engine: mysql
            version: "8.4"
            allowFrom: [»cluster/node]
    `),
    code: 'E_UNKNOWN_REF', path: 'data.databases.main.allowFrom[0]', hint: 'did you mean "cluster/nodes"?',
  },
  {
    mistake: 'Image Updater without repositories to watch',
    yaml: spec(`
      cluster:
        gitops: { repo: https://github.com/example/deploy.git }
        controllers:
          »imageUpdater: true
    `),
    code: 'E_IMAGE_UPDATER_WITHOUT_REPOSITORIES', path: 'cluster.controllers.imageUpdater', hint: 'registry',
  },
  {
    mistake: 'Image Updater without Argo CD',
    yaml: spec(`
      registry:
        repositories:
          backend: {}
      cluster:
        controllers:
          »imageUpdater: true
    `),
    code: 'E_IMAGE_UPDATER_WITHOUT_ARGOCD', path: 'cluster.controllers.imageUpdater', hint: 'gitops',
  },
  {
    mistake: 'cluster-autoscaler with only fixed-size node groups',
    yaml: spec(`
      cluster:
        »autoscaling: cluster-autoscaler
        nodeGroups:
          main: { instanceTypes: [t3.large], size: 3 }
    `),
    code: 'E_AUTOSCALING_FIXED', path: 'cluster.autoscaling', hint: 'max above min',
  },
  {
    mistake: 'a schedule target that names a missing server',
    yaml: spec(`
      servers:
        ai-vllm: {}
      schedules:
        nightly:
          stop: "0 20 ? * MON-FRI *"
          targets: [»servers/ai-vlm]
    `),
    code: 'E_SCHEDULE_TARGET', path: 'schedules.nightly.targets[0]', hint: 'did you mean "servers/ai-vllm"?',
  },
  {
    mistake: 'a schedule that tries to stop a file system',
    yaml: spec(`
      data:
        fileSystems:
          shared: {}
      schedules:
        nightly:
          stop: "0 20 ? * MON-FRI *"
          targets: [»efs/shared]
    `),
    code: 'E_SCHEDULE_TARGET', path: 'schedules.nightly.targets[0]', hint: 'servers/NAME, cluster/nodeGroups/NAME or db/NAME', says: 'cannot be stopped',
  },
  {
    mistake: 'a cron hour of 25',
    yaml: spec(`
      servers:
        web: {}
      schedules:
        nightly:
          »stop: "0 25 ? * MON-FRI *"
          targets: [servers/web]
    `),
    code: 'E_CRON', path: 'schedules.nightly.stop', hint: 'use 0-23 in the hours field',
  },
  {
    mistake: 'a five-field Unix cron expression',
    yaml: spec(`
      servers:
        web: {}
      schedules:
        nightly:
          »stop: "0 20 * * MON-FRI"
          targets: [servers/web]
    `),
    code: 'E_CRON', path: 'schedules.nightly.stop', hint: 'write "0 20 ? * MON-FRI *"',
  },
  {
    mistake: 'a cron expression with both day fields set',
    yaml: spec(`
      servers:
        web: {}
      schedules:
        nightly:
          stop: "0 20 ? * MON-FRI *"
          »start: "0 8 * * MON-FRI *"
          targets: [servers/web]
    `),
    code: 'E_CRON', path: 'schedules.nightly.start', hint: 'write "0 8 ? * MON-FRI *"',
  },
  {
    mistake: 'a time zone written as a city',
    yaml: spec(`
      servers:
        web: {}
      schedules:
        nightly:
          »timezone: Seoul
          stop: "0 20 ? * MON-FRI *"
          targets: [servers/web]
    `),
    code: 'E_TIMEZONE', path: 'schedules.nightly.timezone', hint: 'write "Asia/Seoul"',
  },
  {
    mistake: 'a database schedule that starts on other days than it stops',
    yaml: spec(`
      data:
        databases:
          main: { engine: postgres, version: "16" }
      schedules:
        weekend:
          stop: "0 20 ? * FRI *"
          »start: "0 8 ? * MON *"
          targets: [db/main]
    `),
    code: 'E_SCHEDULE_DB_WINDOW', path: 'schedules.weekend.start', hint: 'same day fields',
  },
  {
    mistake: 'a scheduled node group that cluster-autoscaler would restart',
    yaml: spec(`
      cluster:
        autoscaling: cluster-autoscaler
        nodeGroups:
          main: { instanceTypes: [t3.large], size: { min: 1, max: 4 } }
      schedules:
        nightly:
          stop: "0 20 ? * MON-FRI *"
          targets: [»cluster/nodeGroups/main]
    `),
    code: 'E_SCHEDULE_AUTOSCALED', path: 'schedules.nightly.targets[0]', hint: 'autoscaling: none',
  },
  // --- names and platform ---------------------------------------------------------------------
  {
    mistake: 'a server name in upper case',
    yaml: spec(`
      servers:
        »Web:
          ports: [80]
    `),
    code: 'E_NAME', path: 'servers.Web', hint: 'rename it, e.g. "web"',
  },
  {
    mistake: 'a platform name with an underscore',
    yaml: dedent(`
      platform:
        »name: my_platform
        region: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        azs: 2
    `),
    code: 'E_FORMAT', path: 'platform.name', hint: 'write "my-platform"',
  },
  {
    mistake: 'an account id with 11 digits',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
        »account: "11112222333"
      network:
        cidr: 10.0.0.0/16
        azs: 2
    `),
    code: 'E_FORMAT', path: 'platform.account', hint: '12-digit AWS account id',
  },
  {
    mistake: 'a region written as a city',
    yaml: dedent(`
      platform:
        name: demo
        »region: seoul
      network:
        cidr: 10.0.0.0/16
        azs: 2
    `),
    code: 'E_FORMAT', path: 'platform.region', hint: 'such as ap-northeast-2',
  },
  {
    mistake: 'a spec without a network section',
    yaml: dedent(`
      »platform:
        name: demo
        region: ap-northeast-2
    `),
    code: 'E_REQUIRED', path: 'network', hint: 'add network',
  },
  {
    mistake: 'a network without azs (a field that takes a list or a number)',
    yaml: dedent(`
      platform:
        name: demo
        region: ap-northeast-2
      »network:
        cidr: 10.0.0.0/16
    `),
    code: 'E_REQUIRED', path: 'network.azs', hint: 'add azs', says: 'network.azs is required.',
  },
];


/** A cluster to run apps on, for the workload rows below. */
const CLUSTER = `
      cluster:
        nodeGroups: { default: { instanceTypes: [t3.large] } }`;

const WORKLOAD_CASES: readonly Case[] = [
  {
    mistake: 'two apps routing the same host and path on the public ALB',
    yaml: spec(`${CLUSTER}
      apps:
        web: { image: nginx:1.27, port: 8080, expose: { ingress: public, host: www.example.com, tls: false, paths: ["/"] } }
        shop: { image: nginx:1.27, port: 8080, expose: { ingress: public, host: www.example.com, tls: false, paths: [»"/"] } }
    `),
    code: 'E_INGRESS_PATH_CONFLICT', path: 'apps.shop.expose.paths[0]', hint: 'another path or host', says: 'already routed to apps/web',
  },
  {
    mistake: 'talksTo a database name with a typo',
    yaml: spec(`${CLUSTER}
      data:
        databases:
          main: { engine: mysql, version: "8.4" }
      apps:
        api: { image: nginx:1.27, port: 8080, talksTo: [»db/mian] }
    `),
    code: 'E_UNKNOWN_REF', path: 'apps.api.talksTo[0]', hint: 'did you mean "db/main"?',
  },
  {
    mistake: 'talksTo an app that does not exist',
    yaml: spec(`${CLUSTER}
      apps:
        web: { image: nginx:1.27, port: 8080, talksTo: [»apps/backend] }
        api: { image: nginx:1.27, port: 8080 }
    `),
    code: 'E_UNKNOWN_REF', path: 'apps.web.talksTo[0]', hint: 'apps/web, apps/api',
  },
  {
    mistake: 'talksTo a load balancer, which apps never call',
    yaml: spec(`${CLUSTER}
      apps:
        web: { image: nginx:1.27, port: 8080, talksTo: [»vpc] }
    `),
    code: 'E_TALKS_TO_KIND', path: 'apps.web.talksTo[0]', hint: 'name what the app calls',
  },
  {
    mistake: 'an autoscaled app starting with more pods than autoscale.max',
    yaml: spec(`${CLUSTER}
      apps:
        api:
          image: nginx:1.27
          port: 8080
          »replicas: 12
          autoscale: { min: 2, max: 10 }
    `),
    code: 'E_AUTOSCALE_INITIAL_RANGE', path: 'apps.api.replicas', hint: 'set replicas between 2 and 10', says: 'outside its autoscale range 2..10',
  },
  {
    mistake: 'autoscale min above max',
    yaml: spec(`${CLUSTER}
      apps:
        api: { image: nginx:1.27, port: 8080, autoscale: { »min: 5, max: 3 } }
    `),
    code: 'E_AUTOSCALE_RANGE', path: 'apps.api.autoscale.min', hint: 'at most max',
  },
  {
    mistake: 'a registry image naming a repository with a typo',
    yaml: spec(`${CLUSTER}
      registry:
        repositories:
          backend: {}
      apps:
        api: { »image: "registry/bakend:1.0", port: 8080 }
    `),
    code: 'E_UNKNOWN_REPOSITORY', path: 'apps.api.image', hint: 'did you mean "backend"?',
  },
  {
    mistake: 'an image without a tag',
    yaml: spec(`${CLUSTER}
      apps:
        api: { »image: nginx, port: 8080 }
    `),
    code: 'E_IMAGE_TAG', path: 'apps.api.image', hint: 'pin a version',
  },
  {
    mistake: 'an image reference with spaces',
    yaml: spec(`${CLUSTER}
      apps:
        api: { »image: "nginx 1.27", port: 8080 }
    `),
    code: 'E_IMAGE', path: 'apps.api.image', hint: 'registry/backend:prod-YYYYMMDD-HHMM',
  },
  {
    mistake: 'a tag pattern without Argo CD Image Updater',
    yaml: spec(`${CLUSTER}
      registry:
        repositories:
          backend: {}
      apps:
        api: { »image: "registry/backend:prod-YYYYMMDD-HHMM", initialTag: prod-20261201-0900, port: 8080 }
    `).replace('region: ap-northeast-2\n', 'region: ap-northeast-2\n  account: "111122223333"\n'),
    code: 'E_IMAGE_PATTERN_WITHOUT_UPDATER', path: 'apps.api.image', hint: 'imageUpdater',
  },
  {
    mistake: 'apps without a cluster section',
    yaml: spec(`
      »apps:
        api: { image: nginx:1.27, port: 8080 }
    `),
    code: 'E_WORKLOADS_WITHOUT_CLUSTER', path: 'apps', hint: 'add cluster',
  },
  {
    mistake: 'app "replica" for "replicas"',
    yaml: spec(`${CLUSTER}
      apps:
        api: { image: nginx:1.27, port: 8080, »replica: 2 }
    `),
    code: 'E_UNKNOWN_KEY', path: 'apps.api.replica', hint: 'did you mean "replicas"?',
  },
  {
    mistake: 'a password written into env',
    yaml: spec(`${CLUSTER}
      apps:
        api:
          image: nginx:1.27
          port: 8080
          env:
            »DB_PASSWORD: hunter2
    `),
    code: 'E_PLAINTEXT_SECRET', path: 'apps.api.env.DB_PASSWORD', hint: 'secretsmanager:',
  },
  {
    mistake: 'secrets while the cluster runs no External Secrets',
    yaml: spec(`${CLUSTER}
      data:
        databases:
          main: { engine: mysql, version: "8.4" }
      apps:
        api: { image: nginx:1.27, port: 8080, »secrets: [db/main] }
    `),
    code: 'E_SECRETS_WITHOUT_EXTERNAL_SECRETS', path: 'apps.api.secrets', hint: 'externalSecrets: true',
  },
  {
    mistake: 'a rewrite on an app exposing two paths',
    yaml: spec(`${CLUSTER}
      apps:
        api: { image: nginx:1.27, port: 8080, expose: { ingress: internal, host: api.example.com, paths: [/a, /b], »rewrite: /c } }
    `),
    code: 'E_REWRITE_PATHS', path: 'apps.api.expose.rewrite', hint: 'expose one path',
  },
  {
    mistake: 'exposing Kafka, which does not speak HTTP',
    yaml: spec(`${CLUSTER}
      services:
        kafka: { »expose: { ingress: internal, host: kafka.example.com } }
    `),
    code: 'E_SERVICE_NOT_HTTP', path: 'services.kafka.expose', hint: 'remove expose',
  },
  {
    mistake: 'a load balancer named "public" while an app is exposed on the public ingress ALB',
    yaml: spec(`${CLUSTER}
      servers:
        app: { ports: [8080] }
      loadBalancers:
        »public:
          listeners: [{ port: 80, targetGroup: app }]
          targetGroups: { app: { servers: [app], port: 8080 } }
      apps:
        web: { image: nginx:1.27, port: 8080, expose: { ingress: public, host: www.example.com, tls: false } }
    `),
    code: 'E_LB_NAME_TAKEN', path: 'loadBalancers.public', hint: 'rename loadBalancers.public', says: 'plinth creates for the apps exposed with ingress: public',
  },
  {
    mistake: 'the internet allowed on the internal ingress ALB',
    yaml: spec(`${CLUSTER}
      apps:
        tools: { image: nginx:1.27, port: 8080, expose: { ingress: internal, host: tools.example.com, allowFrom: [vpc, »internet] } }
    `),
    code: 'E_INTERNAL_LB_INTERNET', path: 'apps.tools.expose.allowFrom[1]', hint: 'ingress: public',
  },
  {
    mistake: 'a platform named "sg-..." with exposed apps (the controller would read the group name as an id)',
    yaml: withReachableCluster(dedent(`
      platform:
        »name: sg-shop
        region: ap-northeast-2
      network:
        cidr: 10.0.0.0/16
        azs: 2
      cluster:
        nodeGroups: { default: { instanceTypes: [t3.large] } }
      apps:
        web: { image: nginx:1.27, port: 8080, expose: { ingress: public, host: www.example.com, tls: false } }
    `)),
    code: 'E_PLATFORM_NAME_SG', path: 'platform.name', hint: 'does not start with "sg-"',
  },
];

function marked(text: string): { text: string; line: number; column: number } {
  const offset = text.indexOf(MARK);
  if (offset === -1 || text.indexOf(MARK, offset + 1) !== -1) throw new Error('a case needs exactly one » marker');
  const before = text.slice(0, offset);
  return { text: text.replace(MARK, ''), line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** Loads and plans the spec; returns what was thrown (or undefined if the spec is valid). */
function attempt(text: string, files: Readonly<Record<string, string>> = {}): unknown {
  try {
    planSpec(parseYamlSpec(text, 'plinth.yaml', (p) => files[p]));
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('spec mistakes', () => {
  it('has a realistic table of at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.mistake)).size).toBe(CASES.length);
  });

  it.each([...CASES, ...WORKLOAD_CASES])('$mistake → $code at $path', (c) => {
    // GIVEN
    const { text, line, column } = marked(c.yaml);

    // WHEN
    const thrown = attempt(text, c.files);

    // THEN a SpecError, never another exception
    expect(thrown).toBeInstanceOf(SpecError);
    const diagnostics = (thrown as SpecError).diagnostics;
    expect(diagnostics.map((d) => d.code).sort()).toEqual([c.code, ...(c.also ?? [])].sort());

    const d = diagnostics.find((x) => x.code === c.code && formatPath(x.path) === c.path);
    expect(d, `no ${c.code} at ${c.path}; got ${diagnostics.map((x) => `${x.code} at ${formatPath(x.path)}`).join(', ')}`).toBeDefined();
    expect(d!.location).toEqual({ file: 'plinth.yaml', line, column });
    expect(d!.message).toMatch(/^\S.*[.?]$/s);
    if (c.says) expect(d!.message).toContain(c.says);
    expect(`${d!.allowed ?? ''}\n${d!.fix ?? ''}`).toMatch(c.hint instanceof RegExp ? c.hint : new RegExp(escapeRegExp(c.hint)));
    for (const other of diagnostics) expect(other.location?.line, `${other.code} has no line`).toBeGreaterThan(0);
  });
});

describe('formatDiagnostic', () => {
  it('prints file:line:col, the code and path, the message, then allowed and fix', () => {
    const d: Diagnostic = {
      code: 'E_SUBNET_OUTSIDE_VPC',
      path: ['network', 'subnets', 'private', 'cidrs', 2],
      message: 'Subnet 10.1.0.0/24 is not inside the VPC 10.0.0.0/16.',
      allowed: 'a CIDR inside 10.0.0.0/16',
      fix: 'choose a CIDR inside the VPC, or widen network.cidr',
      location: { file: 'plinth.yaml', line: 12, column: 37 },
    };
    expect(formatDiagnostic(d)).toBe([
      'plinth.yaml:12:37: error E_SUBNET_OUTSIDE_VPC at network.subnets.private.cidrs[2]',
      '  Subnet 10.1.0.0/24 is not inside the VPC 10.0.0.0/16.',
      '  allowed: a CIDR inside 10.0.0.0/16',
      '  fix: choose a CIDR inside the VPC, or widen network.cidr',
    ].join('\n'));
  });

  it('leaves out what it does not know', () => {
    expect(formatDiagnostic({ code: 'E_CONFIG_LOAD', path: [], message: 'It broke.', location: { file: 'plinth.config.ts' } }))
      .toBe('plinth.config.ts: error E_CONFIG_LOAD at (root)\n  It broke.');
    expect(formatDiagnostic({ code: 'E_X', path: ['servers', 'a b'], message: 'Odd.', fix: 'rename it' }))
      .toBe('error E_X at servers["a b"]\n  Odd.\n  fix: rename it');
  });

  it.each([...CASES, ...WORKLOAD_CASES])('formats every diagnostic of "$mistake"', (c) => {
    const { text } = marked(c.yaml);
    const thrown = attempt(text, c.files) as SpecError;
    for (const d of thrown.diagnostics) {
      const lines = formatDiagnostic(d).split('\n');
      expect(lines[0]).toBe(`plinth.yaml:${d.location!.line}:${d.location!.column}: error ${d.code} at ${formatPath(d.path)}`);
      expect(lines[1]).toBe(`  ${d.message}`);
      expect(lines.slice(2)).toEqual([...(d.allowed ? [`  allowed: ${d.allowed}`] : []), ...(d.fix ? [`  fix: ${d.fix}`] : [])]);
      expect(lines.length).toBeGreaterThan(2);
    }
  });
});

describe('didYouMean', () => {
  it.each([
    ['natt', ['nat', 'natTier'], 'did you mean "nat"?'],
    ['ssm', ['ssmParameter', 'id'], 'did you mean "ssmParameter"?'],
    ['ubuntu-24', ['ubuntu-22.04', 'ubuntu-24.04'], 'did you mean "ubuntu-24.04"?'],
    ['HTTPS', ['https'], 'did you mean "https"?'],
    ['frobnicate', ['servers', 'network'], undefined],
  ] as const)('%j among %j', (input, candidates, expected) => {
    expect(didYouMean(input, candidates)).toBe(expected);
  });
});

describe('valid specs', () => {
  it('the base spec of the table is itself valid, so each case fails for its own mistake only', () => {
    expect(attempt(spec())).toBeUndefined();
    expect(attempt(specWithTiers('public: {}\nprivate: {}\n'))).toBeUndefined();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
