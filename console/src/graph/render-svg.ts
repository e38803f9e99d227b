import { aslGraph, type NodeType } from './asl-graph.ts';
import type { ExecutionPath } from './execution-path.ts';
import {
  EDGE_FONT_SIZE,
  layoutGraph,
  NODE_FONT_SIZE,
  type Point,
  type PositionedEdge,
  type PositionedNode,
} from './layout.ts';

export type NodeStatus = 'visited' | 'current' | 'failed' | 'not-visited';

export interface RenderOptions {
  /**
   * Prefix of the marker ids. Ids are document-global once the SVG is inlined in HTML, so give each graph on
   * one page its own prefix. Defaults to `sfn-graph`.
   */
  idPrefix?: string;
  /** Accessible name of the image; defaults to the definition's Comment, else "State machine". */
  title?: string;
}

interface Palette {
  fill: string;
  stroke: string;
  text: string;
  strokeWidth: number;
}

// Defaults as presentation attributes, so the SVG reads well on its own; any stylesheet rule overrides them.
const NODE_PALETTE: Record<NodeStatus | 'plain', Palette> = {
  plain: { fill: '#ffffff', stroke: '#52525b', text: '#18181b', strokeWidth: 1.5 },
  visited: { fill: '#dcfce7', stroke: '#15803d', text: '#14532d', strokeWidth: 1.5 },
  current: { fill: '#dbeafe', stroke: '#1d4ed8', text: '#1e3a8a', strokeWidth: 2.5 },
  failed: { fill: '#fee2e2', stroke: '#b91c1c', text: '#7f1d1d', strokeWidth: 2.5 },
  'not-visited': { fill: '#fafafa', stroke: '#d4d4d8', text: '#a1a1aa', strokeWidth: 1 },
};

type EdgeLook = 'plain' | 'taken' | 'muted';
const EDGE_COLOUR: Record<EdgeLook, string> = { plain: '#71717a', taken: '#15803d', muted: '#d4d4d8' };
const EDGE_WIDTH: Record<EdgeLook, number> = { plain: 1.25, taken: 2.25, muted: 1 };
const CHOICE_POINT = 14;

// XML 1.0 forbids most control characters even when escaped; a state name carrying one must not make the
// whole document unparseable.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for use in XML character data and in double- or single-quoted attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const num = (value: number): string => {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
};

const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

function nodeStatus(id: string, path: ExecutionPath, reached: ReadonlySet<string>): NodeStatus {
  if (path.failed === id) return 'failed';
  if (path.current.includes(id)) return 'current';
  return reached.has(id) ? 'visited' : 'not-visited';
}

function shape(node: PositionedNode, palette: Palette): string {
  const w = node.width;
  const h = node.height;
  const paint = `fill="${palette.fill}" stroke="${palette.stroke}" stroke-width="${num(palette.strokeWidth)}"`;
  if (node.type === 'Choice') {
    const points: Array<[number, number]> = [
      [-w / 2, 0],
      [-w / 2 + CHOICE_POINT, -h / 2],
      [w / 2 - CHOICE_POINT, -h / 2],
      [w / 2, 0],
      [w / 2 - CHOICE_POINT, h / 2],
      [-w / 2 + CHOICE_POINT, h / 2],
    ];
    return `<polygon points="${points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}" ${paint}/>`;
  }
  // Pills mark where an execution can begin or end; ordinary steps get gently rounded boxes.
  const terminal: NodeType[] = ['Start', 'End', 'Succeed', 'Fail'];
  const radius = terminal.includes(node.type) ? h / 2 : 6;
  return `<rect x="${num(-w / 2)}" y="${num(-h / 2)}" width="${num(w)}" height="${num(h)}" rx="${num(radius)}" ${paint}/>`;
}

function nodeTitle(node: PositionedNode, entries: number | undefined): string {
  const synthetic = node.type === 'Start' || node.type === 'End';
  const lines = [node.id, synthetic ? `${node.type} of the execution` : node.type];
  if (entries !== undefined && !synthetic)
    lines.push(entries === 1 ? 'entered once' : `entered ${entries} times`);
  if (node.comment !== undefined) lines.push(node.comment);
  return lines.join('\n');
}

function renderNode(
  node: PositionedNode,
  path: ExecutionPath | undefined,
  reached: ReadonlySet<string>,
): string {
  const status = path === undefined ? undefined : nodeStatus(node.id, path, reached);
  const palette = NODE_PALETTE[status ?? 'plain'];
  const entries = path === undefined ? undefined : (path.counts[node.id] ?? 0);
  const classes = status === undefined ? 'state' : `state ${status}`;
  const parts = [
    `<g class="${classes}" data-state="${escapeXml(node.id)}" data-type="${node.type}" transform="translate(${num(node.x)},${num(node.y)})">`,
    `<title>${escapeXml(nodeTitle(node, entries))}</title>`,
    shape(node, palette),
    `<text text-anchor="middle" dy="0.35em" font-size="${NODE_FONT_SIZE}" fill="${palette.text}">${escapeXml(node.id)}</text>`,
  ];
  if (entries !== undefined && entries > 1) {
    // Loops (escalate, then wait again) are the interesting part of a case's history; show them at a glance.
    const x = num(node.width / 2 - 2);
    const y = num(-node.height / 2 + 2);
    parts.push(
      `<g class="entries"><circle cx="${x}" cy="${y}" r="9" fill="${palette.stroke}"/>`,
      `<text x="${x}" y="${y}" dy="0.35em" text-anchor="middle" font-size="9" fill="#ffffff">×${entries}</text></g>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}

/** A path through dagre's points, rounded at the bends so crossing edges stay easy to follow. */
function edgePathData(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return '';
  const last = rest.at(-1);
  if (last === undefined) return `M${num(first.x)},${num(first.y)}`;
  const mid = (a: Point, b: Point): string => `${num((a.x + b.x) / 2)},${num((a.y + b.y) / 2)}`;
  let d = `M${num(first.x)},${num(first.y)}`;
  for (let i = 1; i < points.length - 1; i += 1) {
    const prev = points[i - 1]!;
    const bend = points[i]!;
    const next = points[i + 1]!;
    d += `${i === 1 ? `L${mid(prev, bend)}` : ''}Q${num(bend.x)},${num(bend.y)} ${mid(bend, next)}`;
  }
  return `${d}L${num(last.x)},${num(last.y)}`;
}

function renderEdge(edge: PositionedEdge, look: EdgeLook, markerPrefix: string): string {
  const classes = look === 'taken' ? 'edge taken' : 'edge';
  const dashed = edge.kind === 'catch' || edge.kind === 'timeout' ? ' stroke-dasharray="5 3"' : '';
  const title = `${edge.from} → ${edge.to}${edge.label === undefined ? '' : `: ${edge.detail ?? edge.label}`}`;
  const parts = [
    `<g class="${classes}" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}" data-kind="${edge.kind}">`,
    `<title>${escapeXml(title)}</title>`,
    `<path d="${edgePathData(edge.points)}" fill="none" stroke="${EDGE_COLOUR[look]}" stroke-width="${num(EDGE_WIDTH[look])}"${dashed} marker-end="url(#${markerPrefix}-${look})"/>`,
  ];
  if (edge.label !== undefined && edge.labelBox !== undefined) {
    const box = edge.labelBox;
    parts.push(
      `<g class="edge-label" transform="translate(${num(box.x)},${num(box.y)})">`,
      `<rect x="${num(-box.width / 2)}" y="${num(-box.height / 2)}" width="${num(box.width)}" height="${num(box.height)}" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
      `<text text-anchor="middle" dy="0.35em" font-size="${EDGE_FONT_SIZE}" fill="${look === 'muted' ? '#a1a1aa' : '#3f3f46'}">${escapeXml(edge.label)}</text></g>`,
    );
  }
  parts.push('</g>');
  return parts.join('');
}

function markers(prefix: string): string {
  return (Object.keys(EDGE_COLOUR) as EdgeLook[])
    .map(
      (look) =>
        `<marker id="${prefix}-${look}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" fill="${EDGE_COLOUR[look]}"/></marker>`,
    )
    .join('');
}

/**
 * Draws a state machine definition as a self-contained SVG string, and — given the path of one execution —
 * which states it visited, where it is now or where it failed, and which transitions it took.
 *
 * Styling hooks: node `<g class="state [visited|current|failed|not-visited]" data-state data-type>`, edge
 * `<g class="edge [taken]" data-from data-to data-kind>`, `.edge-label`, `.entries`. The status classes are
 * exclusive (a current node is not also `visited`); without a path nodes carry only `state`. Throws when
 * the definition is invalid (see `aslGraph`).
 */
export function renderExecutionGraph(
  definition: unknown,
  path?: ExecutionPath,
  options: RenderOptions = {},
): string {
  const graph = aslGraph(definition);
  const layout = layoutGraph(graph);
  const prefix = (options.idPrefix ?? 'sfn-graph').replace(/[^A-Za-z0-9_-]/g, '_');
  const title = options.title ?? graph.comment ?? 'State machine';

  const taken = new Set(path?.transitions.map(([from, to]) => pairKey(from, to)));
  const reached = new Set([...(path?.visited ?? []), ...(path?.transitions.flat() ?? [])]);
  const lookOf = (edge: PositionedEdge): EdgeLook => {
    if (path === undefined) return 'plain';
    return taken.has(pairKey(edge.from, edge.to)) ? 'taken' : 'muted';
  };
  // Taken edges last, so they are drawn over the muted ones they cross.
  const edges = [
    ...layout.edges.filter((e) => lookOf(e) !== 'taken'),
    ...layout.edges.filter((e) => lookOf(e) === 'taken'),
  ];

  const width = num(layout.width);
  const height = num(layout.height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="execution-graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs>${markers(prefix)}</defs>`,
    `<g class="edges">${edges.map((e) => renderEdge(e, lookOf(e), prefix)).join('')}</g>`,
    `<g class="states">${layout.nodes.map((n) => renderNode(n, path, reached)).join('')}</g>`,
    '</svg>',
  ].join('');
}
