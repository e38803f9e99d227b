export type { AslGraph, EdgeKind, GraphEdge, GraphNode, NodeType, StateType } from './asl-graph.ts';
export { aslGraph, describeRule, END_NODE, START_NODE, STATE_TYPES } from './asl-graph.ts';
export type { ExecutionHistoryEvent, ExecutionPath, ExecutionStatus } from './execution-path.ts';
export { eventTime, executionPath } from './execution-path.ts';
export type { GraphLayout, Point, PositionedEdge, PositionedNode } from './layout.ts';
export { layoutGraph, textWidth } from './layout.ts';
export type { NodeStatus, RenderOptions } from './render-svg.ts';
export { escapeXml, renderExecutionGraph } from './render-svg.ts';
