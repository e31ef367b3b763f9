/** Model downloads: resumable, checked against the disk and a SHA-256. */
package dev.jerry.model.download;
