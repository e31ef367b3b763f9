/** model-service: the one door to every model Jerry uses. */
package dev.jerry.model;
