/**
 * The backend service-provider interface: what a model runtime implements to serve a format.
 * A {@link dev.mlops.serving.spi.ModelBackend}, found with {@link java.util.ServiceLoader} by the
 * manifest's format, turns a verified model into a {@link dev.mlops.serving.spi.ModelRunner};
 * {@link dev.mlops.serving.spi.RowEncoder} encodes rows by the manifest's feature encoding with the
 * checks every backend must apply. Users of predictors never need this package.
 */
@NullMarked
package dev.mlops.serving.spi;

import org.jspecify.annotations.NullMarked;
