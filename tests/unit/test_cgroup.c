/* test_cgroup.c - unit tests of naming a process's systemd unit and
 * container from /proc/PID/cgroup. */
#include "procinfo.h"
#include "tap.h"

static void v2_service_is_the_unit(void)
{
	struct cgroup_identity id;

	cgroup_identify("0::/system.slice/demo.service\n", &id);
	EXPECT_STR(id.unit, "demo.service");
	EXPECT_STR(id.container, "");
	EXPECT(!id.user_unit);
}

static void v1_named_systemd_hierarchy_is_read_in_the_hybrid_layout(void)
{
	struct cgroup_identity id;

	cgroup_identify("12:pids:/system.slice/nginx.service\n"
			"1:name=systemd:/system.slice/nginx.service\n"
			"0::/\n", &id);
	EXPECT_STR(id.unit, "nginx.service");
}

static void sub_cgroups_of_a_service_name_the_service(void)
{
	struct cgroup_identity id;

	cgroup_identify("0::/system.slice/postfix.service/worker/1\n", &id);
	EXPECT_STR(id.unit, "postfix.service");
}

static void user_service_is_named_below_the_user_manager(void)
{
	struct cgroup_identity id;

	cgroup_identify("0::/user.slice/user-1000.slice/user@1000.service/app.slice/syncd.service\n", &id);
	EXPECT_STR(id.unit, "syncd.service");
	EXPECT(id.user_unit);
	EXPECT_STR(id.user, "1000");
}

static void login_session_is_a_scope(void)
{
	struct cgroup_identity id;

	cgroup_identify("0::/user.slice/user-0.slice/session-4.scope\n", &id);
	EXPECT_STR(id.unit, "session-4.scope");
	EXPECT(!id.user_unit);
}

static void docker_scope_gives_the_container_id(void)
{
	struct cgroup_identity id;

	cgroup_identify("0::/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope\n", &id);
	EXPECT_STR(id.container, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

static void cgroupfs_docker_and_kubernetes_paths_give_the_container_id(void)
{
	struct cgroup_identity id;

	cgroup_identify("4:memory:/docker/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n0::/\n", &id);
	EXPECT_STR(id.container, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	cgroup_identify("0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.scope\n", &id);
	EXPECT_STR(id.container, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
}

static void lxc_and_nspawn_containers_are_named(void)
{
	struct cgroup_identity id;

	cgroup_identify("0::/lxc.payload.web1/system.slice/nginx.service\n", &id);
	EXPECT_STR(id.container, "lxc:web1");
	EXPECT_STR(id.unit, "nginx.service");
	cgroup_identify("0::/machine.slice/machine-db.scope/payload/system.slice/postgresql.service\n", &id);
	EXPECT_STR(id.container, "machine:db");
}

static void names_with_shell_syntax_are_not_units(void)
{
	struct cgroup_identity id;

	cgroup_identify("0::/user.slice/user-1000.slice/user@1000.service/app.slice/$(id).service\n", &id);
	EXPECT_STR(id.unit, "user@1000.service");
	EXPECT(!id.user_unit);
	cgroup_identify("0::/system.slice/a;rm -rf x.service\n", &id);
	EXPECT_STR(id.unit, "");
	cgroup_identify("0::/system.slice/systemd-fsck@dev-disk-by\\x2duuid-1.service\n", &id);
	EXPECT_STR(id.unit, "systemd-fsck@dev-disk-by\\x2duuid-1.service");
}

static void root_cgroup_and_garbage_name_nothing(void)
{
	struct cgroup_identity id;

	cgroup_identify("0::/\n", &id);
	EXPECT_STR(id.unit, "");
	EXPECT_STR(id.container, "");
	cgroup_identify("no colons here\n::\n0:\n", &id);
	EXPECT_STR(id.unit, "");
	cgroup_identify("", &id);
	EXPECT_STR(id.unit, "");
}

int main(void)
{
	RUN(v2_service_is_the_unit);
	RUN(v1_named_systemd_hierarchy_is_read_in_the_hybrid_layout);
	RUN(sub_cgroups_of_a_service_name_the_service);
	RUN(user_service_is_named_below_the_user_manager);
	RUN(login_session_is_a_scope);
	RUN(docker_scope_gives_the_container_id);
	RUN(cgroupfs_docker_and_kubernetes_paths_give_the_container_id);
	RUN(lxc_and_nspawn_containers_are_named);
	RUN(names_with_shell_syntax_are_not_units);
	RUN(root_cgroup_and_garbage_name_nothing);
	return TAP_EXIT();
}
