/**
 * NVIDIA device plugin: advertises `nvidia.com/gpu` on GPU nodes so pods can request GPUs. It runs
 * only on nodes labelled GPU_NODE_LABELS, which the cluster construct puts on every GPU node group
 * (AL2023 NVIDIA AMIs carry the driver, not the plugin). No AWS permissions.
 */
import type { ControllerDefinition, HelmChartRef } from '../controller.js';

/** 0.19.1: github.com/shaman007/home-k3s PR #165, 2026-04-24 (docs/research/cluster-facts.md §4). */
export const NVIDIA_DEVICE_PLUGIN_CHART: HelmChartRef = {
  repository: 'https://nvidia.github.io/k8s-device-plugin',
  chart: 'nvidia-device-plugin',
  version: '0.19.1',
};

/** Labels every GPU node group must carry so the plugin's DaemonSet lands there (and only there). */
export const GPU_NODE_LABELS: Readonly<Record<string, string>> = { 'nvidia.com/gpu.present': 'true' };

export function nvidiaDevicePlugin(): ControllerDefinition {
  return {
    name: 'nvidia-device-plugin',
    namespace: 'kube-system',
    // The plugin needs no Kubernetes API access beyond the kubelet socket, so the chart binds no account.
    serviceAccount: 'default',
    chart: NVIDIA_DEVICE_PLUGIN_CHART,
    purpose: 'Advertises nvidia.com/gpu on GPU nodes so pods can request GPUs.',
    values: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{
              matchExpressions: Object.entries(GPU_NODE_LABELS).map(([key, value]) => ({ key, operator: 'In', values: [value] })),
            }],
          },
        },
      },
      // GPU groups are usually tainted so only GPU workloads land there; the plugin must still run.
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
      ],
    },
    statements: [],
  };
}
