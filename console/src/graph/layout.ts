import dagreModule from '@dagrejs/dagre';
import type { AslGraph, GraphEdge, GraphNode } from './asl-graph.ts';

export interface Point {
  x: number;
  y: number;
}

interface DagreNode {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

interface DagreEdge {
  width?: number;
  height?: number;
  labelpos?: 'l' | 'c' | 'r';
  points?: Point[];
  x?: number;
  y?: number;
}

interface DagreGraph {
  setGraph(label: Record<string, number | string>): unknown;
  graph(): { width?: number; height?: number };
  setNode(id: string, label: DagreNode): unknown;
  node(id: string): DagreNode;
  setEdge(from: string, to: string, label: DagreEdge, name: string): unknown;
  edge(from: string, to: string, name: string): DagreEdge;
}

// dagre 3.1's bundled declarations use extension-less relative imports, which NodeNext resolution cannot
// follow, so every export types as `any`. Pin the small surface used here to real types instead.
const dagre: {
  graphlib: { Graph: new (options: { multigraph: boolean }) => DagreGraph };
  layout(graph: DagreGraph): void;
} = dagreModule;

export const NODE_FONT_SIZE = 12;
export const EDGE_FONT_SIZE = 10;
const EDGE_LABEL_HEIGHT = 14;
const MARGIN = 16;

export interface PositionedNode extends GraphNode {
  /** Centre of the node, as dagre places it. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PositionedEdge extends GraphEdge {
  /** From the border of the source node to the border of the target node. */
  points: Point[];
  /** Centre and size of the label box, present when the edge has a label. */
  labelBox?: { x: number; y: number; width: number; height: number };
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PositionedNode[];
  edges: PositionedEdge[];
}

/**
 * Width of text in a proportional sans-serif font, estimated per character because the layout runs without
 * a DOM to measure in; it errs wide so names never overflow their box.
 */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x2e80) em += 1;
    else if (/[A-ZMWmw@%]/.test(char)) em += 0.72;
    else if (/[ ilIj.,:;'|!()[\]]/.test(char)) em += 0.3;
    else em += 0.58;
  }
  return em * fontSize;
}

function nodeSize(node: GraphNode): { width: number; height: number } {
  const text = textWidth(node.id, NODE_FONT_SIZE);
  switch (node.type) {
    case 'Start':
    case 'End':
      return { width: Math.max(56, text + 28), height: 28 };
    case 'Choice':
      // The pointed ends of the hexagon take room the text cannot use.
      return { width: Math.max(96, text + 48), height: 40 };
    default:
      return { width: Math.max(88, text + 28), height: 36 };
  }
}

const round = (value: number): number => Math.round(value * 10) / 10;

/** Positions the graph top-to-bottom with dagre. Deterministic: the same graph always lays out the same. */
export function layoutGraph(graph: AslGraph): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, edgesep: 12, ranksep: 36, marginx: MARGIN, marginy: MARGIN });

  for (const node of graph.nodes) g.setNode(node.id, nodeSize(node));
  graph.edges.forEach((edge, i) => {
    const label: DagreEdge =
      edge.label === undefined
        ? {}
        : {
            width: round(textWidth(edge.label, EDGE_FONT_SIZE) + 8),
            height: EDGE_LABEL_HEIGHT,
            labelpos: 'c',
          };
    g.setEdge(edge.from, edge.to, label, `e${i}`);
  });

  dagre.layout(g);

  const nodes = graph.nodes.map((node): PositionedNode => {
    const placed = g.node(node.id);
    return {
      ...node,
      x: round(placed.x ?? 0),
      y: round(placed.y ?? 0),
      width: round(placed.width),
      height: round(placed.height),
    };
  });
  const edges = graph.edges.map((edge, i): PositionedEdge => {
    const placed = g.edge(edge.from, edge.to, `e${i}`);
    const positioned: PositionedEdge = {
      ...edge,
      points: (placed.points ?? []).map((p) => ({ x: round(p.x), y: round(p.y) })),
    };
    if (edge.label !== undefined && placed.x !== undefined && placed.y !== undefined) {
      positioned.labelBox = {
        x: round(placed.x),
        y: round(placed.y),
        width: placed.width ?? 0,
        height: placed.height ?? 0,
      };
    }
    return positioned;
  });
  const size = g.graph();
  return { width: round(size.width ?? 0), height: round(size.height ?? 0), nodes, edges };
}
