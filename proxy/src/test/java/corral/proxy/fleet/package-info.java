/**
 * The fleet test: several Corral hosts on this machine behind a real HAProxy, released host by host
 * with the shipped Ansible playbooks ({@code deploy/}) while load runs through the VIP.
 */
package corral.proxy.fleet;
