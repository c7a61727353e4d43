import { Unknown } from '../../model/resolve.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

/** PS4: image tags cannot be overwritten. */
export const EcrTagsImmutable: PostureRule = {
  id: 'PS4',
  name: 'EcrTagsImmutable',
  level: 'warning',
  cause: 'An ECR repository leaves ImageTagMutability at its default, MUTABLE (or sets it so).',
  why: 'With mutable tags, anyone who can push can replace the image behind a tag that is already deployed; the next pod restart runs different code than was reviewed. Immutable tags make a tag name one image forever.',
  check(resources) {
    return resources.ofType('AWS::ECR::Repository').flatMap((r) => {
      const v = resources.prop(r, 'ImageTagMutability');
      if (typeof v === 'string' && v.startsWith('IMMUTABLE')) return [];
      return [postureFinding(this, r, `The ECR repository ${nameOf(r)} has mutable image tags (ImageTagMutability ${v === undefined ? 'not set; the default is MUTABLE' : JSON.stringify(v)}); set it to IMMUTABLE.`, v instanceof Unknown ? v : undefined)];
    });
  },
};
