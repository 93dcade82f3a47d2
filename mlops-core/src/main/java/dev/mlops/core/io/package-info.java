/**
 * Reading and writing data files: CSV with type inference and an explicit bad-line policy
 * ({@link dev.mlops.core.io.CsvReader}, {@link dev.mlops.core.io.CsvWriter}) and Arrow IPC files and
 * streams ({@link dev.mlops.core.io.ArrowIpc}, {@link dev.mlops.core.io.ArrowIpcReader}).
 *
 * <p>Every parse error is a {@link dev.mlops.core.DataFormatException} naming the source, the line
 * and the column. Writers that target a {@link java.nio.file.Path} write a temporary file in the same
 * directory and move it into place atomically, so readers never see a partial file.
 *
 * <p>Everything in this package is null-hostile unless a parameter or return value is annotated
 * {@code @Nullable}.
 */
@NullMarked
package dev.mlops.core.io;

import org.jspecify.annotations.NullMarked;
