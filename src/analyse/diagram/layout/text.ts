/**
 * Text widths in DejaVu Sans, the one font the diagram uses (Graphviz's WebAssembly build knows its
 * metrics too, and the PNG renderer loads the same files), so boxes fit their text exactly and the
 * layout does not depend on the fonts of the machine that draws it. Advance widths per 1000 units,
 * read once from DejaVuSans.ttf / DejaVuSans-Bold.ttf 2.37.
 */

export const FONT_FAMILY = 'DejaVu Sans';

const CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~×→←⇄·–—…✗✓≤≥λ↗↔';
const REGULAR = [318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, 838, 838, 838, 838, 318, 500, 1000, 1000, 838, 838, 838, 838, 592, 838, 838];
const BOLD = [348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838, 838, 838, 838, 838, 380, 500, 1000, 1000, 838, 838, 838, 838, 633, 838, 838];

const regular = new Map([...CHARS].map((c, i) => [c, REGULAR[i]!]));
const bold = new Map([...CHARS].map((c, i) => [c, BOLD[i]!]));

/** Width in the unit of `size` (points or pixels) of one line of text. */
export function textWidth(text: string, size: number, weight: 'normal' | 'bold' = 'normal'): number {
  const table = weight === 'bold' ? bold : regular;
  let units = 0;
  // Characters outside the table (CJK, other symbols) are about one em wide.
  for (const c of text) units += table.get(c) ?? 1000;
  return (units * size) / 1000;
}
