/** The Kubernetes view draws catalogued services (pods operators and charts create) with their verified edges. */
import { describe, expect, it } from 'vitest';
import { buildDiagrams } from '../../src/analyse/diagram/draw.js';
import { inputOf } from './support.js';

describe('Kubernetes view: services', () => {
  it('video-platform: each service is a node in its namespace, and the apps\' flows to them are edges', () => {
    const d = buildDiagrams(inputOf('video-platform'), 'k8s').find((x) => x.view === 'k8s')!;
    const byTitle = (title: string) => d.nodes.find((n) => n.title === title);
    for (const kind of ['kafka', 'redis', 'elasticsearch', 'kibana', 'airflow', 'prometheus', 'grafana']) {
      expect(byTitle(`services/${kind}`), kind).toBeDefined();
    }
    expect(byTitle('services/kafka')!.group).toBe('ns:kafka');
    expect(byTitle('services/kafka')!.lines.join(' ')).toContain('tcp/9092');
    const edge = (from: string, to: string) => d.edges.find((e) => e.kind === 'flow' && e.from === from && e.to === byTitle(to)!.id);
    const backend = d.nodes.find((n) => n.kind === 'deployment' && n.title === 'backend')!;
    expect(edge(backend.id, 'services/kafka')?.label).toContain('9092/tcp');
    expect(edge(backend.id, 'services/redis')?.label).toContain('6379/tcp');
    expect(edge(byTitle('services/grafana')!.id, 'services/prometheus')?.label).toContain('9090/tcp');
    // frontend declares no talksTo to Kafka: no edge
    const frontend = d.nodes.find((n) => n.kind === 'deployment' && n.title === 'frontend')!;
    expect(edge(frontend.id, 'services/kafka')).toBeUndefined();
  });
});
