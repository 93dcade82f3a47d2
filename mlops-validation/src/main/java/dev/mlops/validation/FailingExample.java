package dev.mlops.validation;

/**
 * One value that broke a constraint.
 *
 * @param row the 0-based row index within the validated batch or session
 * @param value the offending value as text ({@code null} for a missing value; {@code a=1.0, b=0.5}
 *     for constraints over several columns)
 */
public record FailingExample(long row, String value) {}
