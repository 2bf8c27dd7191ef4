/**
 * One servlet per endpoint, each a pipeline: the request becomes a Nimbus request, core decides, one writer
 * produces the HTTP response.
 */
package io.github.mcpoauth.servlet.internal.endpoint;
