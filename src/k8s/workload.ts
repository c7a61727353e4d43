/**
 * Deployment or StatefulSet: the pods of an app. Apps without EBS volumes are Deployments; an EBS
 * volume per pod makes the app a StatefulSet with one PersistentVolumeClaim per pod (gp3).
 *
 * Every pod is hardened the same way, whatever the image: a non-root user, no privilege escalation,
 * every Linux capability dropped, the RuntimeDefault seccomp profile and a read-only root file
 * system (writable paths are empty volumes). Pods spread across availability zones, then nodes.
 */
import { type Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import type { AppPlan, ProbePlan } from '../plan/workloads.js';
import { namespaced, portName, selector } from './metadata.js';

/** Volume name of a writable path: `/var/cache/nginx` → `writable-var-cache-nginx`. */
function writableVolume(path: string): string {
  return `writable${path.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.replace(/-+$/, '').slice(0, 63);
}

function probe(p: ProbePlan): k8s.Probe {
  const port = k8s.IntOrString.fromNumber(p.port);
  return {
    ...(p.path ? { httpGet: { path: p.path, port } } : { tcpSocket: { port } }),
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: 5,
    failureThreshold: 3,
  };
}

export function podImage(app: AppPlan): string {
  if (app.image.kind === 'external') return app.image.reference;
  // With a tag pattern the manifest names the repository only; Argo CD Image Updater sets the tag.
  return app.image.tag ? `${app.image.uri}:${app.image.tag}` : app.image.uri;
}

function podTemplate(app: AppPlan): k8s.PodTemplateSpec {
  const efs = app.volumes.filter((v) => v.kind === 'efs');
  const container: k8s.Container = {
    name: app.name,
    image: podImage(app),
    imagePullPolicy: 'IfNotPresent',
    ...(app.command ? { command: [...app.command] } : {}),
    ...(app.args ? { args: [...app.args] } : {}),
    ports: app.ports.map((p) => ({ name: portName(p), containerPort: p, protocol: 'TCP' })),
    ...(app.env.length > 0 ? { env: app.env.map((e) => ({ name: e.name, value: e.value })) } : {}),
    ...(app.secrets.length > 0 ? { envFrom: app.secrets.map((s) => ({ prefix: s.envPrefix, secretRef: { name: s.name } })) } : {}),
    resources: {
      requests: { cpu: k8s.Quantity.fromString(app.resources.cpu), memory: k8s.Quantity.fromString(app.resources.memory) },
      limits: {
        memory: k8s.Quantity.fromString(app.resources.memory),
        ...(app.resources.cpuLimit ? { cpu: k8s.Quantity.fromString(app.resources.cpuLimit) } : {}),
      },
    },
    ...(app.readiness ? { readinessProbe: probe(app.readiness) } : {}),
    ...(app.liveness ? { livenessProbe: probe(app.liveness) } : {}),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: app.runAsUser,
      runAsGroup: app.runAsUser,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [
      ...app.writablePaths.map((p) => ({ name: writableVolume(p), mountPath: p })),
      ...app.volumes.map((v) => ({ name: v.name, mountPath: v.path })),
    ],
  };
  return {
    metadata: { labels: { ...app.labels } },
    spec: {
      serviceAccountName: app.name,
      // Pod Identity injects its own projected token; nothing in the pod calls the Kubernetes API.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: app.runAsUser,
        runAsGroup: app.runAsUser,
        fsGroup: app.runAsUser,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [container],
      volumes: [
        ...app.writablePaths.map((p) => ({ name: writableVolume(p), emptyDir: {} })),
        ...efs.map((v) => ({ name: v.name, persistentVolumeClaim: { claimName: `${app.name}-${v.name}` } })),
      ],
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector(app.labels) },
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector(app.labels) },
      ],
    },
  };
}

export function addWorkload(chart: Chart, app: AppPlan, ebsStorageClass: string): void {
  const metadata = namespaced(app.name, app.namespace, app.labels);
  const replicas = app.replicas === undefined ? {} : { replicas: app.replicas };
  if (app.kind === 'Deployment') {
    new k8s.KubeDeployment(chart, `${app.name}-deployment`, {
      metadata,
      spec: {
        ...replicas,
        selector: selector(app.labels),
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromString('25%') } },
        template: podTemplate(app),
      },
    });
    return;
  }
  new k8s.KubeStatefulSet(chart, `${app.name}-stateful-set`, {
    metadata,
    spec: {
      ...replicas,
      serviceName: app.name,
      selector: selector(app.labels),
      template: podTemplate(app),
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: app.volumes.flatMap((v) => (v.kind !== 'ebs' ? [] : [{
        metadata: { name: v.name, labels: { ...app.labels } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: ebsStorageClass,
          resources: { requests: { storage: k8s.Quantity.fromString(`${v.sizeGiB}Gi`) } },
        },
      }])),
    },
  });
}
