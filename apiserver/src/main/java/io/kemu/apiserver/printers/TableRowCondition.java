package io.kemu.apiserver.printers;

/**
 * One {@code meta.k8s.io/v1 TableRowCondition}. Upstream only sets these on pod rows
 * ({@code Completed=True} with reason {@code Succeeded} or {@code Failed}).
 */
public record TableRowCondition(String type, String status, String reason, String message) {
}
