import { Unknown } from '../../model/resolve.js';
import { field, items } from '../../model/resources.js';
import type { Finding } from '../findings.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

/** PS6: plain HTTP only redirects to HTTPS. */
export const HttpsRedirect: PostureRule = {
  id: 'PS6',
  name: 'HttpsRedirect',
  level: 'warning',
  cause: 'An internet-facing load balancer has an HTTP listener whose default action is not a redirect to HTTPS (ELBv2), or a classic load balancer listens on HTTP towards the internet.',
  why: 'Whatever a plain-HTTP listener serves (log-in forms, cookies, tokens) crosses the internet readable and changeable by anyone on the path. Redirect port 80 to 443 and serve only over TLS.',
  check(resources) {
    const out: Finding[] = [];
    for (const l of resources.ofType('AWS::ElasticLoadBalancingV2::Listener')) {
      if (resources.prop(l, 'Protocol') !== 'HTTP') continue;
      const lb = resources.target(resources.prop(l, 'LoadBalancerArn'));
      const scheme = lb ? resources.prop(lb, 'Scheme') : new Unknown('the load balancer is not in the templates');
      if (scheme === 'internal') continue;
      const actions = items(resources.prop(l, 'DefaultActions'));
      const redirects = actions.some((a) => field(a, 'Type') === 'redirect' && field(field(a, 'RedirectConfig'), 'Protocol') === 'HTTPS');
      if (redirects) continue;
      out.push(postureFinding(this, l, `The HTTP listener ${nameOf(l)}${lb ? ` of ${nameOf(lb)}` : ''} serves plain HTTP to the internet instead of redirecting to HTTPS.`, scheme instanceof Unknown ? scheme : undefined));
    }
    for (const lb of resources.ofType('AWS::ElasticLoadBalancing::LoadBalancer')) {
      if (resources.prop(lb, 'Scheme') === 'internal') continue;
      for (const listener of items(resources.prop(lb, 'Listeners'))) {
        if (String(field(listener, 'Protocol')).toUpperCase() !== 'HTTP') continue;
        out.push(postureFinding(this, lb, `The classic load balancer ${nameOf(lb)} listens on plain HTTP port ${String(field(listener, 'LoadBalancerPort'))} towards the internet.`));
      }
    }
    return out;
  },
};
