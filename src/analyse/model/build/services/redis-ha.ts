/**
 * Redis by the DandyDeveloper `redis-ha` chart (4.35.10, the version plinth pins;
 * templates/redis-ha-statefulset.yaml): one StatefulSet `FULLNAME-server` whose pods are labelled
 * `app: NAME`, `release: RELEASE` and `FULLNAME: replica`, with Redis on `redis.port` (6379) and
 * Sentinel on `sentinel.port` (26379), plus the exporter on `exporter.port` (9121) when enabled.
 * FULLNAME is `fullnameOverride`, else RELEASE when it contains the chart name, else RELEASE-NAME
 * (templates/_helpers.tpl). The chart's own NetworkPolicy is off by default (`networkPolicy.enabled`).
 */
import type { ChartRelease } from './releases.js';
import { valueAt } from './releases.js';
import { emptyOperated, type Operated, tcpPorts } from './operated.js';
import { helmFullname } from './chart-names.js';

export function redisHa(release: ChartRelease): Operated {
  const out = emptyOperated();
  const v = release.values;
  const name = (valueAt(v, 'nameOverride') as string | undefined) ?? 'redis-ha';
  const fullname = helmFullname(release.release, name, valueAt(v, 'fullnameOverride'));
  const port = (key: string, fallback: number) => (typeof valueAt(v, key) === 'number' ? valueAt(v, key) as number : fallback);
  out.workloads.push({
    kind: 'StatefulSet', name: `${fullname}-server`, namespace: release.namespace, file: release.ref.file,
    labels: { app: name, release: release.release, [fullname]: 'replica' },
    ports: tcpPorts([port('redis.port', 6379), 'redis'], [port('sentinel.port', 26379), 'sentinel'],
      ...(valueAt(v, 'exporter.enabled') === true ? [[port('exporter.port', 9121), 'exporter-port'] as const] : [])),
    refs: ['services/redis', `services/redis/${release.release}`],
  });
  out.notes.push({ text: `Redis (chart redis-ha, release ${release.release}) runs as pods the chart creates; verify models them from the chart's labels and ports.`, ref: release.ref });
  return out;
}
