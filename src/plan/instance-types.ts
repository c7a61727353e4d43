/**
 * The EC2 instance types plinth knows: vCPUs and memory per type, for the families a platform
 * commonly runs. The plan refuses a type outside the table with "did you mean" (a typo such as
 * t3.larg would otherwise pass validate and synth and fail at deploy), and sizes what node groups can
 * hold against what autoscalers may ask for. Cost reads the same table.
 *
 * Figures: the EC2 instance type specifications (https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html,
 * co.html, mo.html, ac.html). Within a family AWS sizes on a fixed ladder: large = 2 vCPU, xlarge = 4,
 * then N·xlarge = 4N; memory per vCPU is the family's (general 4 GiB, compute 2, memory 8).
 */
export interface InstanceTypeInfo {
  readonly vcpus: number;
  readonly memoryGiB: number;
}

const LADDER: Readonly<Record<string, number>> = {
  large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64, '24xlarge': 96,
};

function ladder(families: readonly string[], gibPerVcpu: number, extra: Readonly<Record<string, number>> = {}): [string, InstanceTypeInfo][] {
  return families.flatMap((family) => Object.entries({ ...extra, ...LADDER })
    .map(([size, vcpus]): [string, InstanceTypeInfo] => [`${family}.${size}`, { vcpus, memoryGiB: vcpus * gibPerVcpu }]));
}

function listed(family: string, sizes: Readonly<Record<string, readonly [number, number]>>): [string, InstanceTypeInfo][] {
  return Object.entries(sizes).map(([size, [vcpus, memoryGiB]]) => [`${family}.${size}`, { vcpus, memoryGiB }]);
}

const BURSTABLE = { nano: [2, 0.5], micro: [2, 1], small: [2, 2], medium: [2, 4], large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32] } as const;
const GPU_LADDER = { xlarge: [4, 16], '2xlarge': [8, 32], '4xlarge': [16, 64], '8xlarge': [32, 128], '12xlarge': [48, 192], '16xlarge': [64, 256] } as const;

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceTypeInfo> = new Map([
  ...listed('t2', { nano: [1, 0.5], micro: [1, 1], small: [1, 2], medium: [2, 4], large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32] }),
  ...['t3', 't3a', 't4g'].flatMap((f) => listed(f, BURSTABLE)),
  ...ladder(['m5', 'm5a', 'm5n', 'm6i', 'm6a', 'm7i', 'm7a'], 4),
  ...ladder(['m6g', 'm7g', 'm8g'], 4, { medium: 1 }),
  ...ladder(['c5', 'c5a', 'c6i', 'c6a', 'c7i', 'c7a'], 2),
  ...ladder(['c6g', 'c7g', 'c8g'], 2, { medium: 1 }),
  ...ladder(['r5', 'r5a', 'r6i', 'r6a', 'r7i', 'r7a'], 8),
  ...ladder(['r6g', 'r7g', 'r8g'], 8, { medium: 1 }),
  ...listed('g4dn', GPU_LADDER),
  ...listed('g5', { ...GPU_LADDER, '24xlarge': [96, 384], '48xlarge': [192, 768] }),
  ...listed('g6', { ...GPU_LADDER, '24xlarge': [96, 384], '48xlarge': [192, 768] }),
  ...listed('g5g', { xlarge: [4, 8], '2xlarge': [8, 16], '4xlarge': [16, 32], '8xlarge': [32, 64], '16xlarge': [64, 128] }),
  ...listed('p4d', { '24xlarge': [96, 1152] }),
  ...listed('p5', { '48xlarge': [192, 2048] }),
  ...listed('inf2', { xlarge: [4, 16], '8xlarge': [32, 128], '24xlarge': [96, 384], '48xlarge': [192, 768] }),
  ...listed('trn1', { '2xlarge': [8, 32], '32xlarge': [128, 512] }),
]);

export function instanceTypeInfo(instanceType: string): InstanceTypeInfo | undefined {
  return INSTANCE_TYPES.get(instanceType);
}

/** Allocatable share of a node after the kubelet, system reservations and the eviction threshold (EKS AMI defaults, roughly). */
export const ALLOCATABLE_CPU_FRACTION = 0.94;
